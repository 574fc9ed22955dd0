using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Obligations;

/// <summary>
/// 不断档 (seed 000 §(七)): a never-visited shaft's clock starts with its first responsible person and a handover never
/// restarts it; and a daily patrol can be "ok" right after its visit. Expected instants worked by hand from the dates below.
/// </summary>
public sealed class ResponsibilityContinuityTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly DateTime Day0 = new(2026, 10, 1, 2, 0, 0, DateTimeKind.Utc);
    private static readonly PatrolObligationOptions SevenDays = new() { DefaultInterval = TimeSpan.FromDays(7) };

    [Fact]
    public async Task NeverVisitedShaft_HandedOverOnDay30_IsOverdueSinceDay7_NotDueInAWeek()
    {
        const string Code = "YC-CM-006-J1";
        await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var responsibility = new ResponsibilityService(db);
        await responsibility.AssignAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("孙一", null), Day0);
        await responsibility.HandoverAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("孙二", null), Day0.AddDays(30));
        var alarms = new AlarmStore(db);
        var rated = (await new PatrolOverdueService(db, alarms, Options.Create(SevenDays)).RunAsync(Day0.AddDays(30).AddHours(1)))
            .Shafts.Single(s => s.Code == Code);
        var status = await new ShaftStatusService(db, Options.Create(SevenDays)).StatusAsync(Code, Day0.AddDays(30).AddHours(1));
        // The interval is the mine's (closure status, risk class: at most 7 days here); the clock starts at the first
        // responsible person's start, not at the handover 30 days later.
        var dueAt = Day0 + status!.Interval;
        Assert.True(status.Interval <= TimeSpan.FromDays(7));

        Assert.Equal(PatrolStatus.Overdue, rated.Status);
        Assert.Equal(PatrolStatus.Overdue, status.Rating.Status);
        Assert.Equal(dueAt, status.Rating.DueAt);
        var shaftId = await county.Db.ScalarAsync<long>("SELECT id FROM sealed_shaft WHERE code = @c", ("c", Code));
        var alarm = (await alarms.ListAsync("patrol_overdue")).Single(a => a.ObjectId == shaftId && a.EndedAt is null);
        Assert.Equal(dueAt, alarm.StartedAt);
    }

    [Theory]
    [InlineData(1, PatrolStatus.Ok)]        // an hour after the visit: ok (the 1-day due-soon window is capped at half the interval)
    [InlineData(11, PatrolStatus.Ok)]
    [InlineData(12, PatrolStatus.DueSoon)]  // half the interval left
    [InlineData(24, PatrolStatus.Overdue)]
    public void DailyPatrol_AfterItsVisit_IsOkUntilHalfTheIntervalIsLeft(int hoursAfterVisit, PatrolStatus expected)
    {
        var options = new PatrolObligationOptions(); // DueSoon 1 day
        var visit = Day0;

        var rating = ShaftPatrolRating.Of(TimeSpan.FromDays(1), visit, Day0.AddDays(-100), visit.AddHours(hoursAfterVisit), options);

        Assert.Equal(expected, rating.Status);
    }
}
