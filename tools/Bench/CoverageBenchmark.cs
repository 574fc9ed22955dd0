using System.Diagnostics;
using GeoMine.Geo;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Coverage;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Visits;
using GeoMine.Viewer.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench coverage</c>: the patrol coverage of one town over a month through the real HTTP API, on a throw-away
/// database with the synthetic patrol workload, after the patrol-visits job has run on it (visits, then the track days
/// coverage reads; its time is printed) (<see cref="PatrolWorkload"/>: one town of 250 shafts, phones walking shaft
/// to shaft, a fix every 10 s). Measures one request at a time (p50), then 16 clients asking for coverage at once while a
/// seventeenth reads shaft details: that one's p99 against idle, the 429s the limiter answered, and the peak RSS of this
/// process (which hosts the server).
/// </summary>
internal static class CoverageBenchmark
{
    public static Task RunAsync(string adminConnectionString, long points, int days, int concurrent, int rounds, int seed, TextWriter output, CancellationToken ct) =>
        BenchDatabase.RunAsync(adminConnectionString, "geomine_bench_coverage", 20, c => RunOnAsync(c, points, days, concurrent, rounds, seed, output, ct), ct);

    private static async Task RunOnAsync(
        string connectionString, long points, int days, int concurrent, int rounds, int seed, TextWriter output, CancellationToken ct)
    {
        var end = DateTime.UtcNow.AddMinutes(-1);
        end = new DateTime(end.Ticks - (end.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        await using (var db = GeoMine.Geo.Storage.GeoDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString))
        {
            var workload = new PatrolWorkload(250, points, days, seed);
            var shiftEnds = Enumerable.Range(0, days).Select(d => end.AddDays(d - days + 1)).ToList();
            await PatrolBenchmark.LoadReferenceAsync(db, workload, end, ct);
            await new PositionPartitions(db).EnsureAsync([shiftEnds[0].AddDays(-1), end], ct);
            // All but the last 5 minutes first, measured by the job as it would have been; then the last 5 minutes, as phones
            // send them while walking, and the job's run on those alone.
            var tail = end.AddMinutes(-5);
            var load = Stopwatch.StartNew();
            var rows = await PatrolBenchmark.CopyPositionsAsync(db, workload.Fixes(shiftEnds).Where(f => f.Time <= tail), TimeSpan.FromSeconds(5), ct);
            await using (var analyze = db.CreateCommand("VACUUM (ANALYZE)"))
            {
                await analyze.ExecuteNonQueryAsync(ct);
            }

            var loaded = load.Elapsed;
            var visits = await new PatrolVisitService(db, Options.Create(new VisitOptions())).RunAsync(tail.AddMinutes(1), ct);
            var trackDays = new TrackDayService(db, Options.Create(new CoverageOptions()));
            var measure = Stopwatch.StartNew();
            var measured = await trackDays.RefreshAsync(TimeSpan.MaxValue, ct);
            var history = measure.Elapsed;
            load.Restart();
            rows += await PatrolBenchmark.CopyPositionsAsync(db, workload.Fixes(shiftEnds).Where(f => f.Time > tail), TimeSpan.FromSeconds(5), ct);
            loaded += load.Elapsed;
            var run = Stopwatch.StartNew();
            var lastVisits = await new PatrolVisitService(db, Options.Create(new VisitOptions())).RunAsync(end.AddMinutes(1), ct);
            var visitsTime = run.Elapsed;
            var extended = await trackDays.RefreshAsync(TimeSpan.MaxValue, ct);
            var extendTime = run.Elapsed - visitsTime;
            output.WriteLine($"workload: 1 town, {workload.Shafts.Count} shafts, {workload.Devices} patrol phones, {days} shifts of " +
                             $"{workload.StepsPerDay * PatrolWorkload.FixSeconds / 3600.0:0.#} h, a fix every {PatrolWorkload.FixSeconds} s: " +
                             $"{rows:N0} positions loaded in {loaded.TotalSeconds:0.0} s, {visits.Visits + lastVisits.Visits:N0} visits; seed {seed}");
            output.WriteLine($"patrol-visits job, track days (what coverage reads): the history, {measured:N0} phone-days measured whole, in " +
                             $"{history.TotalSeconds:0.0} s ({history.TotalMilliseconds / Math.Max(1, measured):0} ms each); then the last 5 minutes of " +
                             $"reports: visits {visitsTime.TotalMilliseconds:0} ms, {extended} phone-days extended in {extendTime.TotalMilliseconds:0} ms");
        }

        GC.Collect(); // the workload's objects are not the server's memory
        var (app, root) = await BenchServer.StartAsync(connectionString, ct);
        try
        {
            await using var user = await BenchUser.CreateAsync(connectionString, ct);
            using var http = user.Client(root);
            http.Timeout = TimeSpan.FromMinutes(10);
            var from = ChinaTime.Iso(end.AddDays(-days))[..19];
            var to = ChinaTime.Iso(end.AddMinutes(1))[..19];
            var coverage = $"/api/patrol/coverage?town=T00000&from={from}&to={to}";
            var shaft = $"/api/shafts/{await FirstShaftAsync(connectionString, ct)}";

            // One request at a time.
            var single = new List<double>();
            long bytes = 0;
            var failed = new List<string>();
            for (var i = 0; i < rounds + 1; i++) // the first warms up JIT and caches
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(coverage, ct);
                bytes = (await response.Content.ReadAsByteArrayAsync(ct)).Length;
                if (!response.IsSuccessStatusCode)
                {
                    failed.Add($"{(int)response.StatusCode} after {Stopwatch.GetElapsedTime(t).TotalSeconds:0.0} s");
                }
                else if (i > 0)
                {
                    single.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }

            if (single.Count == 0)
            {
                output.WriteLine($"coverage of the town over {days} days: no request succeeded ({string.Join("; ", failed)}); target p50 ≤ 300 ms");
                return;
            }

            output.WriteLine($"coverage of the town over {days} days, one request at a time: p50 {Percentile(single, 50):N0} ms " +
                             $"(min {single.Min():N0}, max {single.Max():N0}; {bytes / 1024:N0} KiB JSON{(failed.Count > 0 ? $"; failed: {string.Join("; ", failed)}" : "")}); target p50 ≤ 300 ms");
            if (concurrent <= 0)
            {
                return;
            }

            var idle = await LatenciesAsync(http, shaft, TimeSpan.FromSeconds(5), ct);
            output.WriteLine($"shaft details alone: p50 {Percentile(idle, 50):0.0} ms, p99 {Percentile(idle, 99):0.0} ms ({idle.Count} requests)");

            // Sixteen clients asking for coverage at once, while shaft details are read.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var peakRss = 0L;
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peakRss = Math.Max(peakRss, Environment.WorkingSet);
                    await Task.Delay(50, CancellationToken.None);
                }
            }, CancellationToken.None);
            var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
            var heavy = Enumerable.Range(0, concurrent).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < 2; i++)
                {
                    using var response = await http.GetAsync(coverage, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    statuses.Add((int)response.StatusCode);
                }
            }, ct)).ToArray();
            var started = Stopwatch.StartNew();
            var loaded = new List<double>();
            while (heavy.Any(h => !h.IsCompleted))
            {
                loaded.AddRange(await LatenciesAsync(http, shaft, TimeSpan.FromMilliseconds(500), ct));
            }

            await Task.WhenAll(heavy);
            var wall = started.Elapsed;
            await stop.CancelAsync();
            await sampler;
            output.WriteLine($"{concurrent} clients × 2 coverage requests at once: done in {wall.TotalSeconds:0.0} s, " +
                             string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}")) +
                             $"; peak RSS of the server process {peakRss / (1024 * 1024):N0} MiB (target ≤ 600)");
            output.WriteLine($"shaft details meanwhile: p50 {Percentile(loaded, 50):0.0} ms, p99 {Percentile(loaded, 99):0.0} ms ({loaded.Count} requests); " +
                             $"p99 / idle p99 = {Percentile(loaded, 99) / Percentile(idle, 99):0.00} (target ≤ 2)");
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<List<double>> LatenciesAsync(HttpClient http, string url, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new List<double>();
        var until = Stopwatch.StartNew();
        while (until.Elapsed < duration)
        {
            var t = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        return latencies;
    }

    private static async Task<string> FirstShaftAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT code FROM sealed_shaft ORDER BY code LIMIT 1", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
