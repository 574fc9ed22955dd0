using GeoMine.Viewer.Storage;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.Patrol.Obligations;
using GeoMine.Viewer.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Playwright;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench tiles</c>, second part: the time the map page takes to draw every sealed shaft of a large
/// province in headless Chromium (Debian's <c>/usr/bin/chromium</c> via Playwright). Workload, on a throw-away
/// database: <c>shafts</c> sealed shafts, 50 per closed mine, mines Gaussian (σ 8 km) around 40 district centres
/// in 104–108°E, 25–28°N; 80 % of shafts with a responsible person, 70 % visited in the last 10 days, so the
/// patrol rating has work to do. Each round opens the page in a fresh browser context (no cache), fits the view
/// to all shafts and measures from the fit to the first <c>rendercomplete</c> with no tile loading — server tile
/// generation, transfer, decoding and drawing together — twice: with the server's overview cache emptied and full.
/// </summary>
internal static class ShaftDrawBenchmark
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private const string Generate = """
        SELECT setseed(0.42);
        CREATE TEMP TABLE district AS
            SELECT i, 104 + random() * 4 AS lon, 25 + random() * 3 AS lat FROM generate_series(1, 40) i;
        -- Box-Muller: Gaussian offsets, σ 8 km (≈ 0.072° of latitude; longitude scaled by cos(lat)).
        CREATE TEMP TABLE mine AS
            SELECT m, d.lon + g1 * 0.072 / cos(radians(d.lat)) AS lon, d.lat + g2 * 0.072 AS lat
            FROM (SELECT m, 1 + floor(random() * 40)::int AS i, sqrt(-2 * ln(1 - random())) AS r, 2 * pi() * random() AS a
                  FROM generate_series(1, @mines) m) x
            JOIN district d USING (i), LATERAL (SELECT x.r * cos(x.a) AS g1, x.r * sin(x.a) AS g2) g;
        INSERT INTO closed_mine (code, name, geom) SELECT 'BM-' || m, '基准煤矿' || m, ST_SetSRID(ST_MakePoint(lon, lat), 4490) FROM mine;
        INSERT INTO sealed_shaft (code, mine_id, name, geom)
            SELECT c.code || '-J' || j, c.id, j || '号井', ST_SetSRID(ST_MakePoint(m.lon + (random() - 0.5) * 0.01, m.lat + (random() - 0.5) * 0.01), 4490)
            FROM mine m JOIN closed_mine c ON c.code = 'BM-' || m.m, generate_series(1, 50) j
            LIMIT @shafts;
        INSERT INTO person (name) SELECT '责任人' || m FROM generate_series(1, @mines) m;
        INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
            SELECT (SELECT min(id) FROM person) + (s.mine_id - (SELECT min(id) FROM closed_mine)), 'responsible_person', 'sealed_shaft', s.id,
                   now() - interval '60 days'
            FROM sealed_shaft s WHERE random() < 0.8;
        INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source)
            SELECT id, t, t + interval '5 minutes', 'record'
            FROM (SELECT id, now() - random() * interval '10 days' AS t FROM sealed_shaft WHERE random() < 0.7) v;
        ANALYZE;
        """;

    private const string WaitForAllShafts = """
        async ([minLon, minLat, maxLon, maxLat]) => {
            const map = window.geomineMap;
            const overview = map.getLayers().getArray().find(l => l.get('id') === 'shafts-overview');
            const extent = ol.proj.transformExtent([minLon, minLat, maxLon, maxLat], 'EPSG:4326', 'EPSG:3857');
            const start = performance.now();
            map.getView().fit(extent, { size: map.getSize(), padding: [20, 20, 20, 20] });
            await new Promise(done => map.once('rendercomplete', done));
            const ms = performance.now() - start;
            const tiles = performance.getEntriesByType('resource').filter(e => e.name.includes('/tiles/shafts/') && e.startTime >= start);
            const lastTile = Math.max(0, ...tiles.map(e => e.responseEnd)) - start;
            const all = performance.getEntriesByType('resource').filter(e => e.startTime >= start);
            const slowest = all.reduce((a, e) => (!a || e.responseEnd > a.responseEnd ? e : a), null);
            const lastAny = slowest ? `${all.length} responses, the last at ${((slowest.responseEnd - start) / 1000).toFixed(2)} s: ${new URL(slowest.name).pathname}` : 'no response';
            const frameStart = performance.now();
            map.renderSync();
            const frame = performance.now() - frameStart;
            // Zoomed out the shafts are drawn by the overview layer from point tiles: count the distinct shaft ids of
            // the tiles its last frame drew (rendercomplete says every tile it needs was loaded and drawn).
            const drawn = overview.get('drawnShaftIds')().size;
            return { ms, lastTile, lastAny, frame, zoom: map.getView().getZoom(), drawn, tiles: tiles.length };
        }
        """;

    public static async Task<int> RunAsync(string adminConnectionString, int shafts, int rounds, TextWriter output, CancellationToken ct)
    {
        if (!File.Exists(ChromiumPath))
        {
            output.WriteLine($"draw: skipped, {ChromiumPath} is missing (as root: apt-get install -y chromium)");
            return 0;
        }

        var database = $"geomine_draw_{Environment.ProcessId}";
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {database}", ct);
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
        try
        {
            await MigrationRunner.ApplyAsync(connectionString, HostModule.AllMigrations, ct);
            var generate = Stopwatch.StartNew();
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(Generate, connection) { CommandTimeout = 600 };
                command.Parameters.AddWithValue("mines", (shafts + 49) / 50);
                command.Parameters.AddWithValue("shafts", shafts);
                await command.ExecuteNonQueryAsync(ct);
            }

            double[] bbox;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(
                    "SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] FROM (SELECT ST_Extent(geom) AS e FROM sealed_shaft) x", connection);
                bbox = (double[])(await command.ExecuteScalarAsync(ct))!;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"draw workload: {shafts:N0} sealed shafts (50 per mine, 40 districts, {bbox[0]:F1}–{bbox[2]:F1}°E {bbox[1]:F1}–{bbox[3]:F1}°N), generated in {generate.Elapsed.TotalSeconds:F0} s; page 1280×800 in headless {ChromiumPath}, a fresh context per round"));
            await DrawAsync(connectionString, bbox, shafts, rounds, output, ct);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task DrawAsync(string connectionString, double[] bbox, int shafts, int rounds, TextWriter output, CancellationToken ct)
    {
        var (app, root) = await BenchServer.StartAsync(connectionString, ct);
        // As in service: the overdue job has rated every shaft (hourly), and since its last run some shafts were visited —
        // here 1 %, whose stored rating no longer holds, so the tiles rate them themselves.
        var rate = Stopwatch.StartNew();
        var rated = await app.Services.GetRequiredService<PatrolOverdueService>().RunAsync(DateTime.UtcNow.AddMinutes(-30), ct);
        await ExecuteAsync(connectionString, "INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source) " +
            "SELECT id, now() - interval '20 minutes', now() - interval '15 minutes', 'record' FROM sealed_shaft WHERE id % 100 = 0", ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"patrol-overdue job run once ({rated.TotalShafts:N0} shafts rated in {rate.Elapsed.TotalSeconds:F1} s) 30 min ago; 1 % of the shafts visited since"));
        await using var user = await BenchUser.CreateAsync(connectionString, ct);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            using (var http = user.Client(root))
            {
                await ServerAloneAsync(http, bbox, output, ct);
            }

            // Each round twice: with the server's overview cache emptied (the first user of the minute) and with it full.
            var cache = (MemoryCache)app.Services.GetRequiredService<IMemoryCache>();
            var times = new Dictionary<string, List<double>> { ["cold"] = [], ["cached"] = [] };
            for (var round = 0; round <= rounds; round++) // round 0 warms up the server (JIT, pool) and is not counted
            {
                foreach (var kind in new[] { "cold", "cached" })
                {
                    if (kind == "cold")
                    {
                        cache.Clear();
                    }

                    var ms = await RoundAsync(browser, root, user.Password, bbox, shafts, $"draw round {round}{(round == 0 ? " (warm-up)" : "")}, server cache {kind}", output);
                    if (round > 0)
                    {
                        times[kind].Add(ms);
                    }
                }
            }

            foreach (var (kind, list) in times)
            {
                list.Sort();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"draw {shafts:N0} shafts, server cache {kind}: median {list[list.Count / 2] / 1000:F2} s, best {list[0] / 1000:F2} s, worst {list[^1] / 1000:F2} s over {rounds} rounds (target ≤ 2 s)"));
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>One page in a fresh browser context: fit to all shafts, time to rendercomplete; fails unless every shaft was drawn.</summary>
    private static async Task<double> RoundAsync(IBrowser browser, string root, string password, double[] bbox, int shafts, string label, TextWriter output)
    {
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        // Sign in through the API in this context (its cookies are the page's), outside the timed part.
        var signIn = await context.APIRequest.PostAsync($"{root}/api/session",
            new() { DataObject = new { name = BenchUser.Name, password } });
        if (!signIn.Ok)
        {
            throw new InvalidOperationException($"bench sign-in failed: {signIn.Status}");
        }

        long tiles = 0, bytes = 0;
        page.Response += (_, r) =>
        {
            if (r.Url.Contains("/tiles/shafts/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref tiles);
                Interlocked.Add(ref bytes, long.TryParse(r.Headers.GetValueOrDefault("content-length"), out var n) ? n : 0);
            }
        };
        await page.GotoAsync($"{root}/");
        await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 60_000 });
        var result = await page.EvaluateAsync<JsonElement>(WaitForAllShafts, bbox);
        var ms = result.GetProperty("ms").GetDouble();
        var drawn = result.GetProperty("drawn").GetInt32();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {ms / 1000:F2} s to rendercomplete (last shaft tile received at {result.GetProperty("lastTile").GetDouble() / 1000:F2} s; one more frame of everything {result.GetProperty("frame").GetDouble():F0} ms; all layers: {result.GetProperty("lastAny").GetString()}) at zoom {result.GetProperty("zoom").GetDouble():F1}, {drawn:N0} of {shafts:N0} shafts drawn, {Interlocked.Read(ref tiles)} shaft tiles ({Interlocked.Read(ref bytes) / 1024.0:N0} KiB gzip)"));
        if (drawn != shafts)
        {
            throw new InvalidOperationException($"{label}: {drawn} of {shafts} shafts drawn");
        }

        return ms;
    }

    // The overview tiles of the fitted view (zoom 7.8: data zoom 7) fetched one at a time by a plain HTTP client, the
    // first time rated (and cached), the second from the cache: the server's share of the draw.
    private static async Task ServerAloneAsync(HttpClient http, double[] bbox, TextWriter output, CancellationToken ct)
    {
        const int z = 7;
        var (x0, y0) = TilesBenchmark.TileOf(bbox[0], bbox[3], z);
        var (x1, y1) = TilesBenchmark.TileOf(bbox[2], bbox[1], z);
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
        for (var round = 0; round < 2; round++)
        {
            var start = Stopwatch.GetTimestamp();
            var count = 0;
            for (var x = x0; x <= x1; x++)
            {
                for (var y = y0; y <= y1; y++)
                {
                    using var response = await http.GetAsync($"/tiles/shafts/{z}/{x}/{y}.bin", ct);
                    _ = await response.Content.ReadAsByteArrayAsync(ct);
                    count++;
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server alone: the {count} z{z} shaft overview tiles one after another in {Stopwatch.GetElapsedTime(start).TotalSeconds:F2} s, {(round == 0 ? "rated (first request, cold .NET)" : "from the cache")} (plain HTTP client, no browser)"));
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
