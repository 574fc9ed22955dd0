using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Coverage;
using GeoMine.Patrol.Detection;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Monitoring;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Responsibility;
using GeoMine.Patrol.Tailings;
using GeoMine.Patrol.Visits;
using GeoMine.Viewer.Hosting;
using Npgsql;

namespace GeoMine.Viewer.Cli;

/// <summary>
/// The services a CLI command needs, on the database the command line names (migrated), registered
/// exactly as the web host registers them and configured from the same <c>appsettings.json</c> and
/// environment — so a job run by hand uses the thresholds the scheduler uses. No scheduler runs here.
/// </summary>
internal sealed class CliServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private CliServices(ServiceProvider provider) => _provider = provider;

    public ResponsibilityService Responsibility => Get<ResponsibilityService>();

    public PatrolVisitService PatrolVisits => Get<PatrolVisitService>();

    public PatrolOverdueService PatrolOverdue => Get<PatrolOverdueService>();

    public PatrolCoverageService PatrolCoverage => Get<PatrolCoverageService>();

    public TrackDayService TrackDays => Get<TrackDayService>();

    public GeoMine.Patrol.Licences.LicenceValidityService LicenceValidity => Get<GeoMine.Patrol.Licences.LicenceValidityService>();

    public AlarmStore Alarms => Get<AlarmStore>();

    public AckEscalationService AckEscalation => Get<AckEscalationService>();

    public TailingsWatchService Tailings => Get<TailingsWatchService>();
    public MonitoringRegistry Monitoring => Get<MonitoringRegistry>();

    public MonitoringReadingStore MonitoringReadings => Get<MonitoringReadingStore>();

    public MonitoringCheckService MonitoringCheck => Get<MonitoringCheckService>();

    public BoundaryCheckService BoundaryCheck => Get<BoundaryCheckService>();

    public NpgsqlDataSource DataSource => Get<NpgsqlDataSource>();

    public DeviceRegistry Devices => Get<DeviceRegistry>();

    public GeoMine.Viewer.Access.UserStore Users => Get<GeoMine.Viewer.Access.UserStore>();

    public PositionIngestor Ingestor => Get<PositionIngestor>();

    public static async Task<CliServices> OpenAsync(System.CommandLine.ParseResult parse, CancellationToken ct)
    {
        var (connection, _) = await DatabaseTarget.Resolve(parse.GetValue(GeoMineCli.Db)).EnsureAsync(ct);
        await MigrationRunner.ApplyAsync(connection, HostModule.AllMigrations, ct);
        var configuration = Configuration();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddGeoMine(configuration, connection);
        return new CliServices(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <summary>The configuration the CLI reads: <c>appsettings.json</c> beside the program, then environment variables
    /// (<c>Section__Key</c>); the scheduler off.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" })
        .Build();

    /// <summary>The datum transformations configured (<c>Crs:Transformations</c>).</summary>
    public static IReadOnlyList<GeoMine.Geo.Crs.DatumTransformation> DatumTransformations() =>
        Configuration().GetSection("Crs").Get<GeoMine.Geo.Crs.CrsOptions>()?.Transformations ?? [];

    private T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();
}
