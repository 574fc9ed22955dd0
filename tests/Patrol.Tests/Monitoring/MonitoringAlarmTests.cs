using GeoMine.Patrol.Monitoring;
using GeoMine.TestSupport;
using static GeoMine.Patrol.Tests.Monitoring.MonitoringServices;

namespace GeoMine.Patrol.Tests.Monitoring;

/// <summary>
/// The pond's <c>monitoring_level</c> alarm through a morning, worked by hand. Pond YC-TP-02, thresholds (design values):
/// phreatic depth below 6.0 / 5.0 / 4.0 / 3.0 m, dry beach below 80 / 70 / 60 / 50 m, water level above
/// 310 / 311 / 312 / 313 m. Points PH-1…PH-4, DB-1, WL-1.
/// 08:00 PH-1 at 5.8 m (blue), the rest normal → phreatic item blue → pond blue: raised blue.
/// 09:00 PH-1…PH-4 at 550 cm = 5.5 m (4 blue) → phreatic yellow → pond yellow: escalated.
/// 10:00 DB-1 68 m (yellow), WL-1 311.5 m (yellow) → 3 yellow items → pond orange: escalated.
/// 10:30 WL-1 309 m (normal) → 2 yellow items → pond yellow: still running, severity keeps the orange peak.
/// 11:00 everything normal → episode ended at 11:00.
/// </summary>
public sealed class MonitoringAlarmTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task Readings_ThroughAMorning_RaiseEscalateKeepThePeakAndEnd()
    {
        const string Pond = "YC-TP-02";
        var services = new MonitoringServices(county.Db.ConnectionString);
        var pondId = await county.Db.ScalarAsync<long>("SELECT id FROM tailings_pond WHERE code = @c", ("c", Pond));
        foreach (var point in new[] { "PH-1", "PH-2", "PH-3", "PH-4" })
        {
            await services.Registry.AddPointAsync(Pond, point, "phreatic_depth");
        }

        await services.Registry.AddPointAsync(Pond, "DB-1", "dry_beach_length");
        await services.Registry.AddPointAsync(Pond, "WL-1", "water_level");
        await services.Registry.SetThresholdsAsync(Pond, "phreatic_depth", new(6.0, 5.0, 4.0, 3.0, ThresholdDirection.Below));
        await services.Registry.SetThresholdsAsync(Pond, "dry_beach_length", new(80, 70, 60, 50, ThresholdDirection.Below));
        await services.Registry.SetThresholdsAsync(Pond, "water_level", new(310, 311, 312, 313, ThresholdDirection.Above));

        var at8 = await services.Readings.StoreAsync(
        [
            Reading(0, Pond, "PH-1", "phreatic_depth", May20(8), 5.8, "m"),
            Reading(1, Pond, "PH-2", "phreatic_depth", May20(8), 6.5, "m"),
            Reading(2, Pond, "PH-3", "phreatic_depth", May20(8), 6.5, "m"),
            Reading(3, Pond, "PH-4", "phreatic_depth", May20(8), 6.5, "m"),
            Reading(4, Pond, "DB-1", "dry_beach_length", May20(8), 85, "m"),
            Reading(5, Pond, "WL-1", "water_level", May20(8), 309, "m"),
        ]);
        var blue = await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId);
        Assert.Equal((WarningLevel.Blue, AlarmChange.Raised), (Assert.Single(at8.Ponds).Level, at8.Ponds[0].Alarm));
        Assert.Equal("blue", blue!.Severity);
        Assert.Equal(May20(8), blue.StartedAt);

        var at9 = await services.Readings.StoreAsync(
            [.. new[] { "PH-1", "PH-2", "PH-3", "PH-4" }.Select((p, i) => Reading(i, Pond, p, "phreatic_depth", May20(9), 550, "cm"))]);
        var yellow = await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId);
        Assert.Equal((WarningLevel.Yellow, AlarmChange.Escalated), (at9.Ponds[0].Level, at9.Ponds[0].Alarm));
        Assert.Equal((blue.Id, "yellow"), (yellow!.Id, yellow.Severity));

        var at10 = await services.Readings.StoreAsync(
        [
            Reading(0, Pond, "DB-1", "dry_beach_length", May20(10), 68, "m"),
            Reading(1, Pond, "WL-1", "water_level", May20(10), 311.5, "m"),
        ]);
        var orange = await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId);
        Assert.Equal(WarningLevel.Orange, at10.Ponds[0].Level);
        Assert.Equal(
            new Dictionary<string, WarningLevel>
            {
                ["phreatic_depth"] = WarningLevel.Yellow, ["dry_beach_length"] = WarningLevel.Yellow, ["water_level"] = WarningLevel.Yellow,
            },
            at10.Ponds[0].ItemLevels);
        Assert.Equal((blue.Id, "orange"), (orange!.Id, orange.Severity));
        var phreatic = orange.Evidence["items"]!.AsArray().Single(i => (string?)i!["item"] == "phreatic_depth")!;
        Assert.Equal(4, phreatic["points"]!.AsArray().Count);
        Assert.All(phreatic["points"]!.AsArray(), p => Assert.Equal((5.5, 6.0), ((double)p!["value"]!, (double)p["threshold"]!)));
        Assert.Equal("below", (string?)phreatic["direction"]);
        Assert.Equal(2L, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alarm_event WHERE alarm_id = @id AND note LIKE '在线监测升级为%'", ("id", blue.Id)));

        var at1030 = await services.Readings.StoreAsync([Reading(0, Pond, "WL-1", "water_level", May20(10, 30), 309, "m")]);
        var still = await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId);
        Assert.Equal((WarningLevel.Yellow, AlarmChange.Extended), (at1030.Ponds[0].Level, at1030.Ponds[0].Alarm));
        Assert.Equal((blue.Id, "orange", "yellow"), (still!.Id, still.Severity, (string?)still.Evidence["level"]));

        var at11 = await services.Readings.StoreAsync(
        [
            .. new[] { "PH-1", "PH-2", "PH-3", "PH-4" }.Select((p, i) => Reading(i, Pond, p, "phreatic_depth", May20(11), 6.5, "m")),
            Reading(4, Pond, "DB-1", "dry_beach_length", May20(11), 85, "m"),
        ]);
        Assert.Equal((WarningLevel.Normal, AlarmChange.Ended), (at11.Ponds[0].Level, at11.Ponds[0].Alarm));
        Assert.Null(await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId));
        Assert.Equal(May20(11), (await services.Alarms.ListAsync(PondLevelEvaluator.LevelKind)).Single(a => a.Id == blue.Id).EndedAt);
        Assert.Equal("normal", await county.Db.ScalarAsync<string>("SELECT level FROM monitoring_pond_status WHERE pond_id = @p", ("p", pondId)));
    }

    [Fact]
    public async Task SetThresholds_OverReadingsAlreadyStored_RatesThePondAtOnce()
    {
        const string Pond = "YC-TP-04";
        var services = new MonitoringServices(county.Db.ConnectionString);
        var pondId = await county.Db.ScalarAsync<long>("SELECT id FROM tailings_pond WHERE code = @c", ("c", Pond));
        await services.Registry.AddPointAsync(Pond, "PP-1", "pore_pressure");
        await services.Readings.StoreAsync([Reading(0, Pond, "PP-1", "pore_pressure", May20(8), 0.31, "MPa")]);
        Assert.Null(await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId));

        // 310 kPa: past red (300 kPa) → a single red point → red item → red pond.
        var level = await services.Registry.SetThresholdsAsync(Pond, "pore_pressure", new(150, 200, 250, 300, ThresholdDirection.Above));

        Assert.Equal((WarningLevel.Red, AlarmChange.Raised), (level.Level, level.Alarm));
        Assert.Equal("red", (await services.RunningAsync(PondLevelEvaluator.LevelKind, pondId))!.Severity);
    }

    [Fact]
    public async Task SetThresholds_NotMonotone_RefusedNamingTheLevel()
    {
        var services = new MonitoringServices(county.Db.ConnectionString);

        var e = await Assert.ThrowsAsync<MonitoringInputException>(() =>
            services.Registry.SetThresholdsAsync("YC-TP-05", "surface_displacement", new(20, 30, 40, 35, ThresholdDirection.Above)));

        Assert.StartsWith("red: 35 must be above orange 40", Assert.Single(e.Problems));
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM monitoring_threshold t JOIN tailings_pond p ON p.id = t.pond_id WHERE p.code = 'YC-TP-05'"));
    }
}
