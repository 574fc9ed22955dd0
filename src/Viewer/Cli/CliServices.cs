using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Detection;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Responsibility;
using GeoMine.Patrol.Visits;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Cli;

/// <summary>The services a CLI command needs, on the database the command line names (migrated).</summary>
internal sealed class CliServices : IAsyncDisposable
{
    private CliServices(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Devices = new DeviceRegistry(dataSource, TimeProvider.System);
        Ingestor = new PositionIngestor(dataSource, Devices, new PositionPartitions(dataSource),
            Options.Create(new PositionFilterOptions()), TimeProvider.System);
        Alarms = new AlarmStore(dataSource);
        BoundaryCheck = new BoundaryCheckService(dataSource, Devices, Alarms, Options.Create(new DetectionOptions()));
        Responsibility = new ResponsibilityService(dataSource);
        PatrolVisits = new PatrolVisitService(dataSource, Options.Create(new VisitOptions()));
        PatrolOverdue = new PatrolOverdueService(dataSource, Alarms, Options.Create(new PatrolObligationOptions()));
    }

    public ResponsibilityService Responsibility { get; }

    public PatrolVisitService PatrolVisits { get; }

    public PatrolOverdueService PatrolOverdue { get; }

    public AlarmStore Alarms { get; }

    public BoundaryCheckService BoundaryCheck { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public DeviceRegistry Devices { get; }

    public PositionIngestor Ingestor { get; }

    public static async Task<CliServices> OpenAsync(System.CommandLine.ParseResult parse, CancellationToken ct)
    {
        var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
        await MigrationRunner.ApplyAsync(connection, PatrolModule.AllMigrations, ct);
        return new CliServices(connection, NpgsqlDataSource.Create(connection));
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
