using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Responsibility;
using GeoMine.Patrol.Visits;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Obligations;

/// <summary>The worked example of the issue: a shaft visited on day 0 with a 7-day interval is fine on day 6,
/// overdue (yellow, to the responsible person) on day 8, escalated (orange, to the lead leader) on day 15,
/// and the episode ends when the next visit arrives.</summary>
public sealed class PatrolOverdueTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly DateTime Day0 = new(2026, 10, 1, 2, 0, 0, DateTimeKind.Utc);

    private NpgsqlDataSource Db => GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);

    private PatrolOverdueService Overdue(AlarmStore alarms) =>
        new(Db, alarms, Options.Create(new PatrolObligationOptions { DefaultInterval = TimeSpan.FromDays(7) }));

    /// <summary>A patrol phone standing 5 m from the shaft for 5 minutes, a fix every 30 s; returns the visits found that day.</summary>
    private async Task<IReadOnlyList<PatrolVisit>> VisitAsync(string shaftCode, string deviceKey, DateTime arrival)
    {
        var db = Db;
        var devices = new DeviceRegistry(db, TimeProvider.System);
        var device = await devices.AddAsync(deviceKey, "patrol_phone");
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = @c", ("c", shaftCode));
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = @c", ("c", shaftCode));
        var fixes = Enumerable.Range(0, 11).Select(i => new PositionFix(
            deviceKey, arrival.AddSeconds(30 * i), lon + 5e-5, lat, null, 5, 0, null, null, "batch")).ToList(); // 5e-5° ≈ 5 m
        var ingestor = new PositionIngestor(db, devices, new PositionPartitions(db), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        await ingestor.IngestAsync(fixes);
        return await new PatrolVisitService(db, Options.Create(new VisitOptions())).ScanDeviceAsync(device.Id, arrival.Date, arrival.Date.AddDays(1));
    }

    /// <summary>The rating the overdue job stored for a shaft.</summary>
    private async Task<(PatrolStatus Status, DateTime? DueAt)> StoredAsync(string code)
    {
        await using var command = Db.CreateCommand(
            "SELECT r.status, r.due_at FROM shaft_patrol_rating r JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = @c");
        command.Parameters.AddWithValue("c", code);
        await using var r = await command.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"no rating stored for {code}");
        return (PatrolStatusCode.Parse(r.GetString(0)), r.GetFieldValue<DateTime?>(1));
    }

    private static async Task<Alarm?> RunningAsync(AlarmStore alarms, string kind, long shaftId) =>
        (await alarms.ListAsync(kind)).SingleOrDefault(a => a.ObjectKind == "sealed_shaft" && a.ObjectId == shaftId && a.EndedAt is null);

    [Fact]
    public async Task RunAsync_VisitedOnDay0With7DayInterval_Day6NoAlarmDay8YellowDay15OrangeEndedByNextVisit()
    {
        const string Code = "YC-CM-004-J3";
        var responsibility = new ResponsibilityService(Db);
        await responsibility.AssignAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("陈志强", "13811112222"), Day0.AddDays(-30));
        await responsibility.AssignAsync(ResponsibleObject.Mine("YC-CM-004"), ResponsibilityRole.LeadLeader, new("刘书记", "13933334444"), Day0.AddDays(-30));
        Assert.Single(await VisitAsync(Code, "phone-chen", Day0));
        var shaftId = await county.Db.ScalarAsync<long>("SELECT id FROM sealed_shaft WHERE code = @c", ("c", Code));
        var alarms = new AlarmStore(Db);
        var service = Overdue(alarms);

        var day6 = (await service.RunAsync(Day0.AddDays(6))).Shafts.Single(s => s.Code == Code);
        Assert.Equal(PatrolStatus.DueSoon, day6.Status);
        Assert.Null(await RunningAsync(alarms, "patrol_overdue", shaftId));

        var day8 = (await service.RunAsync(Day0.AddDays(8))).Shafts.Single(s => s.Code == Code);
        var yellow = await RunningAsync(alarms, "patrol_overdue", shaftId);
        Assert.Equal(PatrolStatus.Overdue, day8.Status);
        Assert.NotNull(yellow);
        Assert.Equal("yellow", yellow.Severity);
        Assert.Equal(Day0.AddDays(7), yellow.StartedAt);
        Assert.Equal("陈志强", (string?)yellow.Evidence["responsible_person"]!["name"]);

        await service.RunAsync(Day0.AddDays(15));
        var orange = await RunningAsync(alarms, "patrol_overdue", shaftId);
        Assert.Equal(yellow.Id, orange!.Id);
        Assert.Equal("orange", orange.Severity);
        Assert.Equal("刘书记", (string?)orange.Evidence["lead_leader"]!["name"]);
        Assert.Equal("陈志强", (string?)orange.Evidence["responsible_person"]!["name"]);
        await service.RunAsync(Day0.AddDays(15).AddHours(1)); // escalated once, audited once
        Assert.Equal(1L, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alarm_event WHERE alarm_id = @id AND note LIKE '%刘书记%'", ("id", yellow.Id)));

        var next = Assert.Single(await VisitAsync(Code, "phone-chen", Day0.AddDays(16)));
        var day16 = (await service.RunAsync(Day0.AddDays(16).AddHours(1))).Shafts.Single(s => s.Code == Code);
        Assert.Equal(PatrolStatus.Ok, day16.Status);
        Assert.Null(await RunningAsync(alarms, "patrol_overdue", shaftId));
        Assert.Equal(next.ArrivedAt, (await alarms.ListAsync("patrol_overdue")).Single(a => a.Id == yellow.Id).EndedAt);
    }

    [Fact]
    public async Task RunAsync_ShaftWithoutResponsiblePerson_ShaftUnassignedUntilSomeoneIsAssigned()
    {
        const string Code = "YC-CM-007-J2";
        var shaftId = await county.Db.ScalarAsync<long>("SELECT id FROM sealed_shaft WHERE code = @c", ("c", Code));
        var alarms = new AlarmStore(Db);
        var service = Overdue(alarms);

        var before = (await service.RunAsync(Day0)).Shafts.Single(s => s.Code == Code);
        Assert.Null(before.Responsible);
        Assert.Equal(PatrolStatus.NeverVisited, before.Status);
        Assert.NotNull(await RunningAsync(alarms, "shaft_unassigned", shaftId));
        Assert.Null(await RunningAsync(alarms, "patrol_overdue", shaftId));

        await new ResponsibilityService(Db).AssignAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("黄伟", null), Day0.AddHours(1));
        await service.RunAsync(Day0.AddHours(2));

        Assert.Null(await RunningAsync(alarms, "shaft_unassigned", shaftId));
    }

    [Fact]
    public async Task RunAsync_NeverVisitedShaft_OverdueOneIntervalAfterItsResponsiblePersonStarted()
    {
        const string Code = "YC-CM-007-J1";
        await new ResponsibilityService(Db).AssignAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("吴敏", null), Day0);
        var service = Overdue(new AlarmStore(Db));

        var day6 = (await service.RunAsync(Day0.AddDays(6))).Shafts.Single(s => s.Code == Code);
        var day7 = (await service.RunAsync(Day0.AddDays(7))).Shafts.Single(s => s.Code == Code);

        Assert.Equal(PatrolStatus.NeverVisited, day6.Status);
        Assert.Equal(PatrolStatus.Overdue, day7.Status);
        Assert.Equal(Day0.AddDays(7), day7.DueAt);
    }

    [Fact]
    public async Task RunAsync_VisitedShaftWithoutResponsiblePerson_OverdueAndUnassignedBoth()
    {
        const string Code = "YC-CM-008-J1";
        Assert.Single(await VisitAsync(Code, "phone-nobody", Day0));
        var shaftId = await county.Db.ScalarAsync<long>("SELECT id FROM sealed_shaft WHERE code = @c", ("c", Code));
        var alarms = new AlarmStore(Db);

        var day8 = (await Overdue(alarms).RunAsync(Day0.AddDays(8))).Shafts.Single(s => s.Code == Code);

        Assert.Equal(PatrolStatus.Overdue, day8.Status);
        Assert.Null((await RunningAsync(alarms, "patrol_overdue", shaftId))!.Evidence["responsible_person"]);
        Assert.NotNull(await RunningAsync(alarms, "shaft_unassigned", shaftId));
    }

    [Fact]
    public async Task RunAsync_ClassDAndClassAShaftsVisitedTogether_DOverdueAfterOneDayAWeeklyAsItsClosedMine()
    {
        // Hand-worked with the default tables: YC-CM-001 is sealed (7 days) and class D (1 day) → 1 day;
        // YC-CM-002 is closed (7 days) and class A (14 days) → the stricter, 7 days.
        await county.Db.ScalarAsync<int>("UPDATE closed_mine SET risk_class = CASE code WHEN 'YC-CM-001' THEN 'D' ELSE 'A' END " +
            "WHERE code IN ('YC-CM-001', 'YC-CM-002') RETURNING 0");
        foreach (var (code, person) in new[] { ("YC-CM-001-J1", "周丽"), ("YC-CM-002-J1", "郑强") })
        {
            await new ResponsibilityService(Db).AssignAsync(ResponsibleObject.Shaft(code), ResponsibilityRole.ResponsiblePerson, new(person, null), Day0.AddDays(-30));
            Assert.Equal(Day0, Assert.Single(await VisitAsync(code, $"phone-{code}", Day0)).ArrivedAt);
        }

        var arrived = Day0;
        var service = new PatrolOverdueService(Db, new AlarmStore(Db), Options.Create(new PatrolObligationOptions()));

        // What the job stored for each shaft (the runs are incremental: a run re-rates only shafts whose rating changes).
        async Task<(PatrolStatus D, PatrolStatus A, DateTime? DueD, DateTime? DueA)> RateAsync(DateTime at)
        {
            await service.RunAsync(at);
            var d = await StoredAsync("YC-CM-001-J1");
            var a = await StoredAsync("YC-CM-002-J1");
            return (d.Status, a.Status, d.DueAt, a.DueAt);
        }

        var beforeOneDay = await RateAsync(arrived.AddDays(1).AddMinutes(-1));
        var oneDay = await RateAsync(arrived.AddDays(1));
        var sixDays = await RateAsync(arrived.AddDays(7).AddMinutes(-1));
        var sevenDays = await RateAsync(arrived.AddDays(7));

        Assert.Equal(PatrolStatus.DueSoon, beforeOneDay.D);
        Assert.Equal(PatrolStatus.Overdue, oneDay.D);
        Assert.Equal(arrived.AddDays(1), oneDay.DueD);
        Assert.Equal(PatrolStatus.Ok, oneDay.A);
        Assert.Equal(PatrolStatus.DueSoon, sixDays.A);
        Assert.Equal(PatrolStatus.Overdue, sevenDays.A);
        Assert.Equal(arrived.AddDays(7), sevenDays.DueA);
    }
}
