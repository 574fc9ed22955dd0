using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine up</c>: start the database, migrate, load the demo data once, serve.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Address to serve", DefaultValueFactory = _ => GeoMineWebApp.DefaultUrl };
        var noSample = new Option<bool>("--no-sample-data") { Description = "Do not import data/shapefiles on first run" };
        var noDemo = new Option<bool>("--no-demo") { Description = "Import data/shapefiles on first run but not the demo's persons, devices and replayed tracks" };
        var command = new Command("up", "Start PostGIS, apply migrations, import the demo data on first run, serve the web app")
        {
            url, noSample, noDemo,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db));
            var wasRunning = target.Managed is null || await target.Managed.IsRunningAsync(ct);
            try
            {
                var (connection, done) = await target.EnsureAsync(ct);
                done.ToList().ForEach(CliOutput.Done);
                var applied = await MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
                CliOutput.Done(applied.Count == 0 ? "schema is current" : $"applied migrations {string.Join(", ", applied)}");
                if (!parse.GetValue(noSample) && await SampleData.IsFirstRunAsync(connection, ct))
                {
                    foreach (var result in await CountyDataSet.ImportAsync(connection, SampleData.Directory, ct))
                    {
                        CliOutput.Done($"imported {result.Inserted + result.Updated} {result.Layer} ({result.Inserted} new) from {Path.GetFileName(result.Source)} ({result.SourceCrs})");
                    }

                    // The demo county, lived in: its people and devices; the server replays their tracks (Demo:Replay).
                    if (!parse.GetValue(noDemo) && await GeoMine.Viewer.Demo.DemoCounty.LoadAsync(GeoDataSource.For(connection), ct))
                    {
                        CliOutput.Done("loaded the demo's persons (演示·…), assignments and devices; their recorded tracks replay through the feed " +
                                       "— remove it all with ./geomine demo remove");
                    }
                }

                var app = GeoMineWebApp.Build([], connection, parse.GetValue(url));
                await FirstAdministratorAsync(app.Services.GetRequiredService<UserStore>(), ct);
                await app.StartAsync(ct);
                CliOutput.Done($"database: {target.Describe()}");
                CliOutput.Done($"GeoMine is serving on {parse.GetValue(url)}  (health: {parse.GetValue(url)}/health) — Ctrl-C stops");
                // Ctrl-C cancels ct (System.CommandLine owns SIGINT); that token stops the host.
                await app.WaitForShutdownAsync(ct);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or ImportException or IOException)
            {
                CliOutput.Fail(e.Message);
                return 1;
            }
            finally
            {
                if (!wasRunning && target.Managed is not null)
                {
                    await target.Managed.StopAsync(CancellationToken.None);
                    CliOutput.Done("stopped the managed PostGIS cluster");
                }
            }
        });
        return command;
    }

    /// <summary>On a database without an enabled administrator, creates the administrator <c>admin</c> and prints its
    /// one-time password (changed at the first sign-in). Only printed here, never stored in clear.</summary>
    internal static async Task FirstAdministratorAsync(UserStore users, CancellationToken ct)
    {
        if (await users.AnyAdministratorAsync(ct))
        {
            return;
        }

        try
        {
            var (admin, password) = await users.AddAsync("admin", Roles.Administrator, [], "管理员", null, "geomine up", ct);
            CliOutput.Done($"created the administrator '{admin.Name}' (sign in at /signin.html; the one-time password must be changed there)");
            Console.WriteLine($"one-time password: {password}"); // on a line of its own: never wrapped, easy to copy
        }
        catch (AccessInputException)
        {
            CliOutput.Fail("no enabled administrator, and the name 'admin' is taken: geomine users enable admin, then geomine users reset-password admin");
        }
    }
}
