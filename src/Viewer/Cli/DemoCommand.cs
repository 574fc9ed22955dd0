using System.CommandLine;
using GeoMine.Geo.Storage;
using GeoMine.Viewer.Demo;
using GeoMine.Viewer.Hosting.Database;
using GeoMine.Viewer.Storage;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine demo load|remove|status</c>: the demo county's persons, devices and replayed tracks (see <see cref="DemoCounty"/>).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var load = new Command("load", "Make the demo county lived in: persons who answer for shafts, towns and ponds, a patrol phone, an excavator and a truck whose recorded tracks a running server replays through its feed");
        load.SetAction((parse, ct) => RunAsync(parse, ct, async db =>
        {
            if (!await DemoCounty.LoadAsync(db, ct))
            {
                CliOutput.Done("the demo is loaded already (geomine demo remove takes it away)");
                return;
            }

            CliOutput.Done("loaded the demo: 5 persons (演示·…), their assignments, devices " + string.Join(", ", DemoCounty.Devices.Select(d => d.Key)));
            CliOutput.Done("a running GeoMine replays their tracks (data/demo/*.gpx): visits, an overdue shaft, a 越界 and a 死灰复燃 alarm within minutes");
        }));
        var remove = new Command("remove", "Take the demo away: its persons, assignments, devices with their positions, visits and tracks, and the alarms they caused");
        remove.SetAction((parse, ct) => RunAsync(parse, ct, async db =>
        {
            if (await DemoCounty.RemoveAsync(db, ct) is not { } removed)
            {
                CliOutput.Done("no demo is loaded");
                return;
            }

            CliOutput.Done("removed the demo: " + string.Join(", ", removed.Where(r => r.Value > 0).Select(r => $"{r.Value} {r.Key}")));
        }));
        var status = new Command("status", "Whether the demo is loaded, since when");
        status.SetAction((parse, ct) => RunAsync(parse, ct, async db =>
            CliOutput.Done(await DemoCounty.LoadedAtAsync(db, ct) is { } at ? $"the demo is loaded since {Geo.ChinaTime.Format(at)}" : "no demo is loaded")));
        return new Command("demo", "The demo county's lived-in layer: load, remove, status") { load, remove, status };
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<Npgsql.NpgsqlDataSource, Task> action)
    {
        try
        {
            var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
            await MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
            await action(GeoDataSource.For(connection));
            return 0;
        }
        catch (InvalidOperationException e)
        {
            CliOutput.Fail(e.Message);
            return 1;
        }
    }
}
