using System.Diagnostics;
using System.Globalization;
using GeoMine.Geo.Storage;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench ogc</c>: GDAL's <c>ogr2ogr</c> copies one 40 000-feature OGC API collection (facilities) to a GeoPackage
/// with its default options, as an official would, over real HTTP with basic auth and an API token. Reports the wall time,
/// the requests GDAL made (its debug log) and the features copied. Target: ≤ 10 s. Throw-away database; not a timed test.
/// </summary>
internal static class OgcBenchmark
{
    public static Task RunAsync(string adminConnectionString, int features, int rounds, TextWriter output, CancellationToken ct) =>
        BenchDatabase.RunAsync(adminConnectionString, "geomine_bench_ogc", 20, c => RunOnAsync(c, features, rounds, output, ct), ct);

    private static async Task RunOnAsync(string connectionString, int features, int rounds, TextWriter output, CancellationToken ct)
    {
        // Ten towns side by side over 0.5° × 0.5° of the county's latitude, facilities F000001… at random places in them
        // (seeded), each with its town, as an import leaves them; then statistics, as autovacuum would gather.
        await BenchDatabase.ExecuteAsync(connectionString, FormattableString.Invariant($"""
            SELECT setseed(0.42);
            INSERT INTO jurisdiction (code, name, level, geom)
            SELECT 'BT' || i, '镇 ' || i, 'town', ST_Multi(ST_MakeEnvelope(105.5 + i * 0.05, 29.0, 105.55 + i * 0.05, 29.5, 4490))
            FROM generate_series(0, 9) i;
            INSERT INTO facility (code, name, kind, population, geom)
            SELECT 'F' || lpad(i::text, 6, '0'), '居民点 ' || i, 'residential', (i % 300),
                   ST_SetSRID(ST_MakePoint(105.5 + random() * 0.5, 29.0 + random() * 0.5), 4490)
            FROM generate_series(1, {features}) i;
            UPDATE facility f SET town_id = (SELECT t.id FROM jurisdiction t WHERE ST_Intersects(t.geom, f.geom) ORDER BY t.id LIMIT 1);
            ANALYZE;
            """), ct);
        var gdal = (await ExternalCommand.RunCheckedAsync("ogrinfo", ["--version"], ct)).Trim();
        await using var user = await BenchUser.CreateAsync(connectionString, ct);
        var (app, root) = await BenchServer.StartAsync(connectionString, ct);
        var times = new List<double>();
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var folder = Directory.CreateTempSubdirectory("geomine-bench-ogc-");
                var gpkg = Path.Combine(folder.FullName, "facilities.gpkg");
                var watch = Stopwatch.StartNew();
                var result = await ExternalCommand.RunAsync("ogr2ogr",
                    ["--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", $"{BenchUser.Name}:{user.Token}", "--config", "CPL_DEBUG", "ON",
                     "-f", "GPKG", gpkg, $"OAPIF:{root}/ogc", "facilities"], ct);
                watch.Stop();
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"ogr2ogr failed: {result.StandardError}");
                }

                var requests = result.StandardError.Split('\n').Count(l => l.StartsWith("HTTP: Fetch(", StringComparison.Ordinal));
                var info = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-so", gpkg, "facilities"], ct);
                var copied = info.Split('\n').Single(l => l.StartsWith("Feature Count:", StringComparison.Ordinal))["Feature Count:".Length..].Trim();
                times.Add(watch.Elapsed.TotalSeconds);
                output.WriteLine(FormattableString.Invariant(
                    $"round {round}: {watch.Elapsed.TotalSeconds:F1} s, {requests} requests, {copied} of {features} features copied"));
                folder.Delete(recursive: true);
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }

        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{gdal}: ogr2ogr of a {features:N0}-feature collection, default options: median {times[times.Count / 2]:F1} s of {rounds} (target ≤ 10 s)"));
    }
}
