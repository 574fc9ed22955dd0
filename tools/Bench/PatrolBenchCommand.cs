using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Storage;
using GeoMine.Viewer.Cli;

namespace GeoMine.Viewer.Bench;

/// <summary><c>geomine bench patrol</c>.</summary>
internal static class PatrolBenchCommand
{
    public static Command Create()
    {
        var shafts = new Option<int>("--shafts") { Description = "Sealed shafts", DefaultValueFactory = _ => 100_000 };
        var points = new Option<long>("--points") { Description = "Patrol-phone positions (track points)", DefaultValueFactory = _ => 10_000_000 };
        var days = new Option<int>("--days") { Description = "Patrol shifts (one a day) the points are spread over", DefaultValueFactory = _ => 7 };
        var increments = new Option<int>("--increments") { Description = "5-minute increments held back for incremental passes", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same data)", DefaultValueFactory = _ => 1 };
        var command = new Command("patrol", "Visits + overdue pass over a synthetic county of shafts and patrol tracks (throw-away database; not a timed test)")
        {
            shafts, points, days, increments, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new PatrolBenchmark.Settings(parse.GetValue(shafts), parse.GetValue(points), parse.GetValue(days), parse.GetValue(increments), parse.GetValue(seed));
            if (settings.Shafts < 1 || settings.Points < 1 || settings.Days < 1 || settings.Increments < 1)
            {
                CliOutput.Fail("--shafts, --points, --days and --increments must be ≥ 1");
                return 2;
            }

            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await new PatrolBenchmark(settings, Console.Out).RunAsync(connection, ct);
            return 0;
        });
        return command;
    }
}
