using GeoMine.Patrol.Monitoring;
using GeoMine.TestSupport;
using static GeoMine.Patrol.Tests.Monitoring.MonitoringServices;

namespace GeoMine.Patrol.Tests.Monitoring;

/// <summary>Stale feeds with the default 2 h: rain gauge RG-1 last reports at 08:00, seepage SP-1 at 09:30 (China time).
/// At 09:59 nothing is silent; at 10:00 RG-1 is (08:00 + 2 h); when RG-1 reports again the next check ends the episode.</summary>
public sealed class MonitoringStaleTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task Check_PointSilentForTwoHours_StaleAlarmAtTheRightTimeNotBeforeAndEndedWhenItReportsAgain()
    {
        const string Pond = "YC-TP-06";
        var services = new MonitoringServices(county.Db.ConnectionString);
        Assert.Equal(TimeSpan.FromHours(2), new MonitoringOptions().StaleAfter);
        var pondId = await county.Db.ScalarAsync<long>("SELECT id FROM tailings_pond WHERE code = @c", ("c", Pond));
        await services.Registry.AddPointAsync(Pond, "RG-1", "rainfall");
        await services.Registry.AddPointAsync(Pond, "SP-1", "seepage");
        await services.Readings.StoreAsync(
        [
            Reading(0, Pond, "RG-1", "rainfall", May20(8), 0, "mm"),
            Reading(1, Pond, "SP-1", "seepage", May20(8), 2.1, "L/s"),
            Reading(2, Pond, "SP-1", "seepage", May20(9, 30), 2.2, "L/s"),
        ]);

        var at959 = await services.Check.RunAsync(May20(9, 59));
        Assert.Empty(at959.SilentPoints);
        Assert.Null(await services.RunningAsync(MonitoringCheckService.StaleKind, pondId));

        var at10 = await services.Check.RunAsync(May20(10));
        var silent = Assert.Single(at10.SilentPoints);
        Assert.Equal(("RG-1", May20(8), May20(10)), (silent.Code, silent.LastMeasuredAtUtc, silent.SilentSinceUtc));
        var alarm = await services.RunningAsync(MonitoringCheckService.StaleKind, pondId);
        Assert.NotNull(alarm);
        Assert.Equal(("yellow", May20(10)), (alarm.Severity, alarm.StartedAt));
        var listed = Assert.Single(alarm.Evidence["silent_points"]!.AsArray())!;
        Assert.Equal(("RG-1", May20(8)), ((string?)listed["point"], DateTime.Parse((string)listed["last_measured_at"]!).ToUniversalTime()));
        Assert.Equal(0.5, (double)alarm.Evidence["online_rate"]!);

        await services.Check.RunAsync(May20(10, 5)); // still silent: the same episode, not a second one
        Assert.Single(await services.Alarms.ListAsync(MonitoringCheckService.StaleKind), a => a.ObjectId == pondId);

        await services.Readings.StoreAsync([Reading(0, Pond, "RG-1", "rainfall", May20(10, 20), 0.5, "mm")]);
        var at1030 = await services.Check.RunAsync(May20(10, 30));
        Assert.Empty(at1030.SilentPoints);
        Assert.Null(await services.RunningAsync(MonitoringCheckService.StaleKind, pondId));
        Assert.Equal(May20(10, 30), (await services.Alarms.ListAsync(MonitoringCheckService.StaleKind)).Single(a => a.Id == alarm.Id).EndedAt);
    }
}
