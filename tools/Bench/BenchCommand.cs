using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Viewer.Bench;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine bench geofence|detection|ingest|tiles|patrol|coverage|ogc|alarms|firstmap</c>; figures recorded in docs/performance.md.</summary>
internal static class BenchCommand
{
    /// <summary>The <c>bench</c> command.</summary>
    public static Command Create() => new("bench", "Benchmarks (not timed tests; figures recorded in the README)")
    {
        Geofence(), Detection(), IngestBenchCommand.Create(), Tiles(), PatrolBenchCommand.Create(), Coverage(), Ogc(), Alarms(), FirstMap(),
    };

    /// <summary>The <c>alarms</c> subcommand: sender's 200 → alarm row committed, under batch and single-fix load.</summary>
    public static Command Alarms()
    {
        var batchRate = new Option<int>("--batch-fixes") { Description = "Background fixes/s in batches of 1 000", DefaultValueFactory = _ => 20_000 };
        var singleRate = new Option<int>("--singles") { Description = "Background single Traccar requests/s", DefaultValueFactory = _ => 2_000 };
        var probes = new Option<int>("--probes") { Description = "Probes (one a second), each a new 越界 alarm", DefaultValueFactory = _ => 30 };
        var command = new Command("alarms", "Latency from the sender's 200 to the alarm row, under load (throw-away database; not a timed test)")
        {
            batchRate, singleRate, probes,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await AlarmsBenchmark.RunAsync(connection, parse.GetValue(batchRate), parse.GetValue(singleRate), parse.GetValue(probes), Console.Out, ct);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>firstmap</c> subcommand: the first complete map after sign-in, in Chromium, on the lived-in demo county.</summary>
    public static Command FirstMap()
    {
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 5 };
        var timeline = new Option<bool>("--timeline") { Description = "Print round 1's requests with their start and end (ms after navigation)" };
        var command = new Command("firstmap", "First complete map after sign-in in headless Chromium, demo county (throw-away database; not a timed test)") { rounds, timeline };
        command.SetAction(async (parse, ct) =>
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await FirstMapBenchmark.RunAsync(connection, parse.GetValue(rounds), parse.GetValue(timeline), Console.Out, ct);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>ogc</c> subcommand: GDAL copies a 40 000-feature OGC API collection with its default options.</summary>
    public static Command Ogc()
    {
        var features = new Option<int>("--features") { DefaultValueFactory = _ => 40_000 };
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 3 };
        var command = new Command("ogc", "ogr2ogr (GDAL, default options) of a 40 000-feature OGC API collection over HTTP (throw-away database; not a timed test)")
        {
            features, rounds,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await OgcBenchmark.RunAsync(connection, parse.GetValue(features), parse.GetValue(rounds), Console.Out, ct);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>coverage</c> subcommand: a town-month of patrol coverage over HTTP, alone and 16 at once.</summary>
    public static Command Coverage()
    {
        var points = new Option<long>("--points") { Description = "Patrol-phone positions in the town", DefaultValueFactory = _ => 1_000_000 };
        var days = new Option<int>("--days") { Description = "Days (one shift each) they span, and the period asked for", DefaultValueFactory = _ => 30 };
        var concurrent = new Option<int>("--concurrent") { Description = "Clients asking for coverage at once (0: skip that part)", DefaultValueFactory = _ => 16 };
        var rounds = new Option<int>("--rounds") { Description = "Requests timed one at a time", DefaultValueFactory = _ => 7 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("coverage", "Patrol coverage of a town-month over HTTP: alone, and many at once beside other requests (throw-away database; not a timed test)")
        {
            points, days, concurrent, rounds, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await CoverageBenchmark.RunAsync(connection, parse.GetValue(points), parse.GetValue(days), parse.GetValue(concurrent), parse.GetValue(rounds), parse.GetValue(seed), Console.Out, ct);
            return 0;
        });
        return command;
    }

    /// <summary>The <c>tiles</c> subcommand: server time per vector tile against the bare ST_AsMVT query.</summary>
    public static Command Tiles()
    {
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 3 };
        var shafts = new Option<int>("--draw-shafts") { Description = "Shafts drawn in Chromium (0: skip the draw part)", DefaultValueFactory = _ => 100_000 };
        var drawOnly = new Option<bool>("--draw-only") { Description = "Skip the per-tile part" };
        var command = new Command("tiles", "Per-tile server time vs the bare ST_AsMVT query, demo county imported into a throw-away database; then the time to draw 100 000 shafts in Chromium (not a timed test)")
        {
            rounds, shafts, drawOnly,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await GeoMine.Geo.Storage.MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
            var code = parse.GetValue(drawOnly) ? 0 : await TilesBenchmark.RunAsync(connection, parse.GetValue(rounds), Console.Out, ct);
            return code != 0 || parse.GetValue(shafts) <= 0
                ? code
                : await ShaftDrawBenchmark.RunAsync(connection, parse.GetValue(shafts), parse.GetValue(rounds), Console.Out, ct);
        });
        return command;
    }

    /// <summary>The <c>detection</c> subcommand: classify + position rules on one thread.</summary>
    public static Command Detection()
    {
        var positions = new Option<int>("--positions") { DefaultValueFactory = _ => 2_000_000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("detection", "Boundary-check rules over the synthetic mining-district workload (not a timed test)") { positions, seed };
        command.SetAction(parse => DetectionBenchmark.Run(
            new BenchOptions(10_000, 60, 50_000, parse.GetValue(positions), parse.GetValue(seed), 0, 0, true, null), Console.Out));
        return command;
    }

    /// <summary>The <c>geofence</c> subcommand, to add to any <c>bench</c> command.</summary>
    public static Command Geofence()
    {
        var areas = new Option<int>("--areas") { Description = "Licensed, closed-mine and tailings areas", DefaultValueFactory = _ => 10_000 };
        var vertices = new Option<int>("--vertices") { Description = "Vertices per area", DefaultValueFactory = _ => 60 };
        var shafts = new Option<int>("--shafts") { Description = "Sealed shafts", DefaultValueFactory = _ => 50_000 };
        var positions = new Option<int>("--positions") { Description = "Positions to classify", DefaultValueFactory = _ => 2_000_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same data)", DefaultValueFactory = _ => 1 };
        var linear = new Option<int>("--linear-positions") { Description = "Positions for the linear scan", DefaultValueFactory = _ => 20_000 };
        var postgis = new Option<int>("--postgis-positions") { Description = "Positions for the PostGIS join", DefaultValueFactory = _ => 200_000 };
        var noPostgis = new Option<bool>("--no-postgis") { Description = "Skip the PostGIS join" };
        var geofence = new Command("geofence", "Synthetic mining-district workload: index vs linear scan vs PostGIS join (not a timed test)")
        {
            areas, vertices, shafts, positions, seed, linear, postgis, noPostgis,
        };
        geofence.SetAction(async (parse, ct) =>
        {
            var options = new BenchOptions(
                parse.GetValue(areas), parse.GetValue(vertices), parse.GetValue(shafts), parse.GetValue(positions), parse.GetValue(seed),
                parse.GetValue(linear), parse.GetValue(postgis), parse.GetValue(noPostgis), parse.GetValue(GeoMineCli.Db));
            if (options.Areas < 1 || options.Vertices < 4 || options.Shafts < 0 || options.Positions < 1)
            {
                CliOutput.Fail("--areas ≥ 1, --vertices ≥ 4, --shafts ≥ 0 and --positions ≥ 1");
                return 2;
            }

            return await GeofenceBenchmark.RunAsync(options, Console.Out, ct);
        });
        return geofence;
    }
}
