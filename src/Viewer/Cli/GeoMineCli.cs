using System.CommandLine;

namespace GeoMine.Viewer.Cli;

/// <summary>The <c>geomine</c> command line: one command class per feature.</summary>
internal static class GeoMineCli
{
    /// <summary><c>--db "Host=…"</c>: use this PostgreSQL/PostGIS server instead of the managed cluster.</summary>
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "Npgsql connection string of an existing PostGIS server (else GEOMINE_DB, else the managed local cluster)",
        Recursive = true,
    };

    /// <summary>Parses <paramref name="args"/>, warning on stderr when <c>--db</c> carries a password: the command line of a
    /// running process is readable by every local user (<c>ps</c>, <c>/proc/PID/cmdline</c>).</summary>
    public static ParseResult Parse(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.GetValue(Db) is { } db && db.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine("geomine: warning: --db carries a password, which every local user can read in the process list; " +
                "set GEOMINE_DB instead, or leave the password out and name a pgpass file (Passfile=/path/to/pgpass, mode 600)");
        }

        return parse;
    }

    /// <summary><c>bench</c> lives in its own tool (tools/Bench, with Playwright): <c>./geomine bench …</c> runs it.</summary>
    private static System.CommandLine.Command BenchPointer()
    {
        var bench = new System.CommandLine.Command("bench", "Benchmarks: ./geomine bench geofence|detection|ingest|tiles|patrol|coverage|ogc (the geomine-bench tool, tools/Bench)");
        bench.TreatUnmatchedTokensAsErrors = false;
        bench.SetAction(_ =>
        {
            CliOutput.Fail("the benchmarks are the geomine-bench tool (tools/Bench), not part of the app: run ./geomine bench …");
            return 2;
        });
        return bench;
    }

    public static RootCommand Create()
    {
        var root = new RootCommand("GeoMine: closed mines, mining-right boundaries and tailings ponds under watch")
        {
            Db,
            UpCommand.Create(),
            DbCommand.Create(),
            ImportCommand.Create(),
            ExportCommand.Create(),
            CrsCommand.Create(),
            LicenceCommand.Create(),
            DevicesCommand.Create(),
            PositionsCommand.Create(),
            JobsCommand.Create(),
            AssignmentsCommand.Create(),
            DutyCommand.Create(),
            DemoCommand.Create(),
            PatrolCommand.Create(),
            AlarmsCommand.Create(),
            TailingsCommand.Create(),
            MonitoringCommand.Create(),
            UsersCommand.Create(),
            BenchPointer(),
        };
        return root;
    }
}
