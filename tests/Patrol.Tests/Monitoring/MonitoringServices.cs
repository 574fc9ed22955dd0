using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Monitoring;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Monitoring;

/// <summary>The monitoring services on a test database, wired as the host wires them.</summary>
internal sealed class MonitoringServices
{
    public MonitoringServices(string connectionString, MonitoringOptions? options = null)
    {
        var db = GeoMine.Geo.Storage.GeoDataSource.Create(connectionString);
        var settings = Options.Create(options ?? new MonitoringOptions());
        Alarms = new AlarmStore(db);
        var evaluator = new PondLevelEvaluator(Alarms);
        Registry = new MonitoringRegistry(db, evaluator, TimeProvider.System);
        Readings = new MonitoringReadingStore(db, evaluator, settings, TimeProvider.System);
        Check = new MonitoringCheckService(db, Alarms, evaluator, settings);
    }

    public AlarmStore Alarms { get; }

    public MonitoringRegistry Registry { get; }

    public MonitoringReadingStore Readings { get; }

    public MonitoringCheckService Check { get; }

    /// <summary>China time (UTC+8) on 2026-05-20, as UTC.</summary>
    public static DateTime May20(int hour, int minute = 0) => new DateTime(2026, 5, 20, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    public static ReadingInput Reading(int index, string pond, string point, string item, DateTime at, double value, string unit) =>
        new($"[{index}]", pond, point, item, at, value, unit);

    /// <summary>The running episode of <paramref name="kind"/> for a pond, or null.</summary>
    public async Task<Alarm?> RunningAsync(string kind, long pondId) =>
        (await Alarms.ListAsync(kind)).SingleOrDefault(a => a.ObjectKind == "tailings_pond" && a.ObjectId == pondId && a.EndedAt is null);
}
