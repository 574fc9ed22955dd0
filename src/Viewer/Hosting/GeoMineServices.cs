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
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Scheduling;
using Npgsql;

namespace GeoMine.Viewer.Hosting;

/// <summary>The application's services, for the web host and for any other host (scheduler nodes in tests).</summary>
internal static class GeoMineServices
{
    /// <summary>Registers the database, the Patrol services with their options, and (when a connection
    /// string is known now) the clustered scheduler. Without one, <c>GeoMine:ConnectionString</c> is
    /// read when the database is first needed and no scheduler runs.</summary>
    public static IServiceCollection AddGeoMine(
        this IServiceCollection services, IConfiguration configuration, string? connectionString, Action<Quartz.IQuartzBuilder>? extendScheduler = null)
    {
        services.AddSingleton(provider => GeoMine.Geo.Storage.GeoDataSource.Create(new NpgsqlConnectionStringBuilder(
            connectionString
            ?? provider.GetRequiredService<IConfiguration>()["GeoMine:ConnectionString"]
            ?? throw new InvalidOperationException("no database: set GeoMine:ConnectionString"))
        {
            // GeoMine keeps no session state (no temp tables, SET, prepared statements by hand), so the
            // DISCARD ALL Npgsql would send on every reuse of a pooled connection is pure overhead.
            NoResetOnClose = true,
        }.ConnectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<AccessOptions>().BindConfiguration("Access");
        services.AddSingleton<UserStore>();
        services.AddOptions<PositionFilterOptions>().BindConfiguration("Positions");
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton<PositionPartitions>();
        services.AddSingleton<PositionIngestor>();
        services.AddOptions<DetectionOptions>().BindConfiguration("Detection");
        services.AddSingleton<AlarmStore>();
        services.AddSingleton<SosAlarms>();
        services.AddSingleton<GeoMine.Viewer.Ogc.LayerExtents>();
        services.AddOptions<AckEscalationOptions>().BindConfiguration("Alarms:AckEscalation");
        services.AddSingleton<AckEscalationService>();
        services.AddOptions<GeoMine.Patrol.Records.PatrolRecordOptions>().BindConfiguration("Patrol:Records");
        services.AddSingleton<GeoMine.Patrol.Records.PatrolRecordService>();
        services.AddSingleton<GeoMine.Patrol.Records.PatrolRecordReader>();
        services.AddSingleton<BoundaryCheckService>();
        services.AddSingleton<ResponsibilityService>();
        services.AddOptions<VisitOptions>().BindConfiguration("Patrol:Visits");
        services.AddSingleton<PatrolVisitService>();
        services.AddOptions<PatrolObligationOptions>().BindConfiguration("Patrol:Obligations");
        services.AddSingleton<PatrolOverdueService>();
        services.AddSingleton<ShaftStatusService>();
        services.AddOptions<CoverageOptions>().BindConfiguration("Patrol:Coverage");
        services.AddSingleton<PatrolCoverageService>();
        services.AddSingleton<TrackDayService>();
        services.AddOptions<GeoMine.Patrol.Licences.LicenceValidityOptions>().BindConfiguration("Licences");
        services.AddSingleton<GeoMine.Patrol.Licences.LicenceValidityService>();
        services.AddSingleton<GeoMine.Viewer.Tiles.ShaftPatrolTiles>();
        services.AddSingleton<GeoMine.Viewer.Tiles.ShaftOverviewTiles>();
        services.AddOptions<GeoMine.Viewer.ViewerConfig.BaseMapOptions>().BindConfiguration("Viewer:BaseMap");
        services.AddOptions<TailingsOptions>().BindConfiguration("Tailings");
        services.AddSingleton<TailingsRegistry>();
        services.AddSingleton<TailingsWatchService>();
        services.AddSingleton<GeoMine.Viewer.Search.SearchKeywords>();
        services.AddOptions<MonitoringOptions>().BindConfiguration("Monitoring")
            .Validate(o => o.StaleSeverity is "blue" or "yellow" or "orange" or "red", "Monitoring:StaleSeverity must be blue, yellow, orange or red")
            .Validate(o => o.StaleAfter > TimeSpan.Zero && o.StaleAfterByItem.Values.All(t => t > TimeSpan.Zero), "Monitoring:StaleAfter must be positive")
            .ValidateOnStart();
        services.AddSingleton<PondLevelEvaluator>();
        services.AddSingleton<MonitoringRegistry>();
        services.AddSingleton<MonitoringReadingStore>();
        services.AddSingleton<MonitoringCheckService>();
        services.AddOptions<GeoMine.Patrol.Notifications.NotificationOptions>().BindConfiguration("Notifications").ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GeoMine.Patrol.Notifications.NotificationOptions>,
            GeoMine.Patrol.Notifications.NotificationOptionsValidator>();
        // One client for every channel; each send has its own timeout (Notifications:SendTimeout).
        services.AddSingleton(provider => new GeoMine.Patrol.Notifications.ChannelSender(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<GeoMine.Patrol.Notifications.NotificationDispatcher>();
        services.AddSingleton<GeoMine.Patrol.Notifications.DutyRoster>();
        services.AddSingleton<GeoMine.Geo.Import.RegistryEditor>();
        var scheduler = configuration.GetSection("Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (connectionString is not null)
        {
            services.AddGeoMineScheduler(scheduler, connectionString, extendScheduler);
        }

        return services;
    }
}
