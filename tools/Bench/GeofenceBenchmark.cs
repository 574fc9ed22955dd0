using GeoMine.Viewer.Hosting.Database;
using System.Diagnostics;
using System.Globalization;
using GeoMine.Geo.Geofence;
using GeoMine.Geo.Storage;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench geofence</c>: positions classified per second on one thread by the
/// <see cref="GeofenceIndex"/>, by a linear scan with envelope pre-check (on a subset), and by a PostGIS
/// <c>ST_Intersects</c> join (on a subset), with the ratios and the peak memory of the process.
/// </summary>
internal static class GeofenceBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken ct)
    {
        void Line(string text) => output.WriteLine(text);
        string F(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);

        var generate = Stopwatch.StartNew();
        var workload = SyntheticWorkload.Generate(options);
        Line($"workload: {options.Areas} areas ({options.Vertices} vertices; 60 % licences with elevation bands, 25 % closed mines, 15 % tailings; " +
             $"10 % with a hole, 5 % two-part) clustered in {BenchOptions.Districts} mining districts (σ 12 km), {options.Shafts} sealed shafts (50 m circles) around closed mines,");
        Line($"          {options.Positions} positions from {workload.DeviceIds.Length} devices, each working in or near its own site, 1-8 m between fixes, in time order,");
        Line($"          uploaded in batches of {BenchOptions.BatchSize} fixes, batches of all devices interleaved; accuracy 3-30 m (2 % at 150-250 m: exact path); seed {options.Seed}");
        Line($"generated in {F(generate.Elapsed.TotalSeconds, "F1")} s; {Environment.ProcessorCount} cores, one thread used; {BuildKind()}");

        var build = Stopwatch.StartNew();
        var index = GeofenceIndex.Build(workload.Areas);
        build.Stop();
        Line($"index: built in {F(build.Elapsed.TotalSeconds, "F1")} s, {F(index.CellCount)} grid cells (200 m), max grid accuracy {index.MaxAccuracyMetres} m");

        var positions = workload.Positions;
        // warm-up (tiered JIT), then the better of two runs of each; the device cache stays warm, as on a running server
        GC.Collect();
        Classify(index, workload, 0, Math.Min(500_000, positions.Length), useDevice: true);
        Classify(index, workload, 0, Math.Min(500_000, positions.Length), useDevice: false);
        var (indexRate, inside, uncertain) = Classify(index, workload, 0, positions.Length, useDevice: true);
        var (gridRate, _, _) = Classify(index, workload, 0, positions.Length, useDevice: false);
        indexRate = Math.Max(indexRate, Classify(index, workload, 0, positions.Length, useDevice: true).Rate);
        gridRate = Math.Max(gridRate, Classify(index, workload, 0, positions.Length, useDevice: false).Rate);
        Line($"index (grid + per-device cache):  {F(indexRate),12} positions/s  ({F(inside)} inside hits, {F(uncertain)} uncertain hits)");
        Line($"index (grid only, no device id):  {F(gridRate),12} positions/s");
        var poor = positions.Where(p => p.AccuracyMetres > index.MaxAccuracyMetres).ToArray();
        var exactWatch = Stopwatch.StartNew();
        foreach (var p in poor)
        {
            index.Classify(null, p.Longitude, p.Latitude, p.HeightMetres, p.AccuracyMetres);
        }

        Line($"  of which {F(poor.Length)} with accuracy > {index.MaxAccuracyMetres} m (exact path): {F(poor.Length / exactWatch.Elapsed.TotalSeconds)} positions/s, {F(100 * exactWatch.Elapsed.TotalSeconds * indexRate / positions.Length, "F0")} % of the index time");

        var linear = new LinearScanClassifier(workload.Areas);
        var linearCount = Math.Min(options.LinearPositions, positions.Length);
        var scan = Stopwatch.StartNew();
        long linearHits = 0;
        for (var i = 0; i < linearCount; i++)
        {
            linearHits += linear.Count(positions[i].Longitude, positions[i].Latitude);
        }

        scan.Stop();
        var linearRate = linearCount / scan.Elapsed.TotalSeconds;
        Line($"linear scan + envelope check:     {F(linearRate),12} positions/s  (first {F(linearCount)} positions, {F(linearHits)} hits)");

        double? postgisRate = null;
        double? postgisBest = null;
        if (!options.SkipPostgis)
        {
            var (connection, _) = await DatabaseTarget.Resolve(options.Db).EnsureAsync(ct);
            var postgisCount = Math.Min(options.PostgisPositions, positions.Length);
            var result = await PostgisJoinBenchmark.RunAsync(connection, workload, postgisCount, ct);
            postgisRate = result.Positions / result.JoinSeconds;
            Line($"PostGIS ST_Intersects join:       {F(postgisRate.Value),12} positions/s  (first {F(postgisCount)} positions, {F(result.Pairs)} pairs; " +
                 $"join {F(result.JoinSeconds, "F2")} s, binary COPY + GiST index {F(result.LoadSeconds, "F2")} s not counted; no parallel workers)");
            postgisBest = result.Positions / result.BestSeconds;
            Line($"PostGIS at its best (reference):  {F(postgisBest.Value),12} positions/s  (GiST on the positions, built inside the " +
                 $"{F(result.BestSeconds, "F2")} s; areas outer: {result.BestPlan}; same {F(result.Pairs)} pairs)");
        }

        Line("");
        Line($"index / linear scan: {F(indexRate / linearRate, "N0")}×   (target ≥ 500×)");
        if (postgisRate is { } pg)
        {
            Line($"index / PostGIS:     {F(indexRate / pg, "N1")}×   (target ≥ 20×)");
        }

        if (postgisBest is { } best)
        {
            Line($"index / PostGIS at its best: {F(indexRate / best, "N1")}×");
        }

        Line($"index rate:          {F(indexRate)} positions/s on one thread   (target ≥ 2,000,000)");
        Line($"peak memory (working set): {F(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0)} MiB; managed heap now {F(GC.GetTotalMemory(false) / 1048576.0)} MiB");
        return 0;
    }

    private static string BuildKind() =>
        typeof(GeofenceIndex).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled)
            ? "Debug build of GeoMine.Geo: JIT optimisations off, figures about half of Release (dotnet build -c Release)"
            : "Release build";

    private static (double Rate, long Inside, long Uncertain) Classify(GeofenceIndex index, SyntheticWorkload workload, int from, int to, bool useDevice)
    {
        long inside = 0, uncertain = 0;
        var positions = workload.Positions;
        var ids = workload.DeviceIds;
        var watch = Stopwatch.StartNew();
        for (var i = from; i < to; i++)
        {
            var p = positions[i];
            var result = index.Classify(useDevice ? ids[p.Device] : null, p.Longitude, p.Latitude, p.HeightMetres, p.AccuracyMetres);
            foreach (var hit in result.Hits)
            {
                if (hit.Containment == Containment.Inside)
                {
                    inside++;
                }
                else
                {
                    uncertain++;
                }
            }
        }

        watch.Stop();
        return ((to - from) / watch.Elapsed.TotalSeconds, inside, uncertain);
    }
}
