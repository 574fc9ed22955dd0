using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using System.CommandLine;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;

namespace GeoMine.Viewer.Cli;

/// <summary><c>geomine db start|stop|status|url|reset|migrate</c>: the managed local PostGIS cluster.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var command = new Command("db", "Manage the local PostGIS cluster (or show the configured server)");
        command.Add(Sub("start", "Create (first time) and start the managed cluster, apply migrations", async (target, ct) =>
        {
            var (connection, done) = await target.EnsureAsync(ct);
            foreach (var line in done)
            {
                CliOutput.Done(line);
            }

            var applied = await MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
            CliOutput.Done(applied.Count == 0 ? "schema is current" : $"applied {string.Join(", ", applied)}");
            Console.WriteLine(target.Describe());
            return 0;
        }));
        command.Add(Sub("stop", "Stop the managed cluster", async (target, ct) =>
        {
            var cluster = RequireManaged(target);
            CliOutput.Done(await cluster.StopAsync(ct) ? "stopped" : "was not running");
            return 0;
        }));
        command.Add(Sub("status", "Say whether the server runs and where its data is", async (target, ct) =>
        {
            if (target.Managed is { } cluster)
            {
                var running = await cluster.IsRunningAsync(ct);
                Console.WriteLine($"{(running ? "running" : cluster.IsInitialized ? "stopped" : "not created")}: {target.Describe()}");
                return running ? 0 : 3;
            }

            Console.WriteLine(target.Describe());
            return 0;
        }));
        command.Add(Sub("url", "Print the connection string (for psql, QGIS, GEOMINE_DB)", (target, _) =>
        {
            Console.WriteLine(target.Managed?.ConnectionString() ?? target.ExplicitConnectionString);
            return Task.FromResult(0);
        }));
        command.Add(Sub("reset", "Stop the managed cluster and delete all its data", async (target, ct) =>
        {
            await RequireManaged(target).ResetAsync(ct);
            CliOutput.Done("managed cluster deleted");
            return 0;
        }));
        return command;
    }

    private static Command Sub(string name, string description, Func<DatabaseTarget, CancellationToken, Task<int>> action)
    {
        var sub = new Command(name, description);
        sub.SetAction(async (parse, ct) =>
        {
            try
            {
                return await action(DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)), ct);
            }
            catch (InvalidOperationException e)
            {
                CliOutput.Fail(e.Message);
                return 1;
            }
        });
        return sub;
    }

    private static LocalPostgisCluster RequireManaged(DatabaseTarget target) =>
        target.Managed ?? throw new InvalidOperationException(
            "GeoMine is pointed at an external server (--db / GEOMINE_DB); it never starts, stops or deletes it");
}
