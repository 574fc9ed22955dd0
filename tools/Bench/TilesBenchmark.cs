using GeoMine.Viewer.Hosting.Database;
using System.Diagnostics;
using System.Globalization;
using GeoMine.Geo.Import;
using GeoMine.Viewer.Hosting;
using GeoMine.Viewer.Tiles;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench tiles</c>: for every tile of every layer over the demo county at zooms 10–15, the
/// time the server takes to answer <c>GET /tiles/…</c> over real HTTP against the time of the bare
/// <c>ST_AsMVT</c> query for the same tile, in one run, on a throw-away database into which the demo county is imported
/// first. No ratio is printed over tiles that hold nothing.
/// </summary>
internal static class TilesBenchmark
{
    public static async Task<int> RunAsync(string adminConnectionString, int rounds, TextWriter output, CancellationToken ct)
    {
        var code = 0;
        await BenchDatabase.RunAsync(adminConnectionString, "geomine_bench_tiles", 20, async connectionString =>
        {
            var imported = await CountyDataSet.ImportAsync(connectionString, Path.Combine(GeoMineHome.Root, "data", "shapefiles"), ct);
            output.WriteLine($"demo county imported: {imported.Sum(r => r.Inserted)} features in {imported.Count} layers");
            code = await RunOnAsync(connectionString, rounds, output, ct);
        }, ct);
        return code;
    }

    private static async Task<int> RunOnAsync(string connectionString, int rounds, TextWriter output, CancellationToken ct)
    {
        var tiles = new List<(LayerDefinition Layer, int Z, int X, int Y)>();
        foreach (var layer in LayerCatalog.All)
        {
            for (var z = 10; z <= 15; z++)
            {
                var (x0, y0) = TileOf(105.70, 29.50, z);
                var (x1, y1) = TileOf(106.10, 29.10, z);
                for (var x = x0; x <= x1; x++)
                {
                    for (var y = y0; y <= y1; y++)
                    {
                        tiles.Add((layer, z, x, y));
                    }
                }
            }
        }

        var (app, root) = await BenchServer.StartAsync(connectionString, ct);
        try
        {
            await using var user = await BenchUser.CreateAsync(connectionString, ct);
            using var http = user.Client(root);
            await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(connectionString);
            double server = 0, bare = 0;
            long bytes = 0, empty = 0;
            for (var round = 0; round <= rounds; round++) // round 0 warms up caches and JIT
            {
                double serverRound = 0, bareRound = 0;
                foreach (var (layer, z, x, y) in tiles)
                {
                    var t = Stopwatch.GetTimestamp();
                    // The same session settings the server uses for tiles (no JIT, no parallel workers).
                    var (connection, transaction) = await TileConnection.OpenAsync(db, ct);
                    await using (connection)
                    await using (transaction)
                    await using (var command = new NpgsqlCommand(VectorTilesApi.TileSql(layer), connection, transaction))
                    {
                        command.Parameters.AddWithValue("z", z);
                        command.Parameters.AddWithValue("x", x);
                        command.Parameters.AddWithValue("y", y);
                        command.Parameters.AddWithValue("layer", layer.Name);
                        _ = await command.ExecuteScalarAsync(ct);
                    }

                    bareRound += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    t = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync($"/tiles/{layer.Name}/{z}/{x}/{y}.mvt", ct);
                    var body = await response.Content.ReadAsByteArrayAsync(ct);
                    serverRound += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    if (round == 1)
                    {
                        bytes += body.Length;
                        empty += body.Length == 0 ? 1 : 0;
                    }
                }

                if (round > 0)
                {
                    (server, bare) = (server + serverRound, bare + bareRound);
                }
            }

            var n = (double)tiles.Count * rounds;
            if (empty == tiles.Count)
            {
                output.WriteLine($"all {tiles.Count} tiles are empty: the database holds no feature over the demo county, so no ratio is printed");
                return 1;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"workload: {tiles.Count} tiles ({LayerCatalog.All.Count} layers × zooms 10–15 over the demo county, {empty} empty), {rounds} rounds after a warm-up, one client, loopback HTTP"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server GET /tiles: {server / n:F2} ms per tile; bare ST_AsMVT query: {bare / n:F2} ms per tile; ratio {server / bare:F2} (target ≤ 1.2); {bytes / Math.Max(1, tiles.Count - empty):N0} bytes per non-empty tile"));
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    internal static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = Math.Pow(2, z);
        var latRad = double.DegreesToRadians(lat);
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n));
    }
}
