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
            PatrolCommand.Create(),
            AlarmsCommand.Create(),
            TailingsCommand.Create(),
            MonitoringCommand.Create(),
            UsersCommand.Create(),
            BenchCommand.Create(),
        };
        return root;
    }
}
