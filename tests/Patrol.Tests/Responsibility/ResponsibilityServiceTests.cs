using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Patrol.Tests.Responsibility;

/// <summary>包保 / 一对一 against the real assignment table and its exclusion constraint.</summary>
public sealed class ResponsibilityServiceTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Handover = new(2026, 6, 1, 4, 30, 0, DateTimeKind.Utc);

    private ResponsibilityService Service() => new(GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString));

    [Fact]
    public async Task Handover_AtInstantT_OldHolderEndsAtTNewStartsAtT()
    {
        var service = Service();
        var shaft = ResponsibleObject.Shaft("YC-CM-001-J1");
        await service.AssignAsync(shaft, ResponsibilityRole.ResponsiblePerson, new("王建国", "13800000001"), T0);

        var (ended, started) = await service.HandoverAsync(shaft, ResponsibilityRole.ResponsiblePerson, new("李秀英", "13800000002"), Handover);

        Assert.Equal(Handover, ended.ValidTo);
        Assert.Equal(Handover, started.ValidFrom);
        Assert.Null(started.ValidTo);
        Assert.Equal("王建国", Assert.Single(await service.CurrentAsync(shaft, Handover.AddTicks(-10))).Person.Name); // 1 µs before
        Assert.Equal("李秀英", Assert.Single(await service.CurrentAsync(shaft, Handover)).Person.Name);
        Assert.Equal(["王建国", "李秀英"], (await service.HistoryAsync(shaft)).Select(a => a.Person.Name));
    }

    [Fact]
    public async Task Handover_Always_NoGapAndNoOverlapByPostgresRanges()
    {
        var service = Service();
        var shaft = ResponsibleObject.Shaft("YC-CM-001-J2");
        await service.AssignAsync(shaft, ResponsibilityRole.ResponsiblePerson, new("甲", null), T0);
        await service.HandoverAsync(shaft, ResponsibilityRole.ResponsiblePerson, new("乙", null), Handover);
        await service.HandoverAsync(shaft, ResponsibilityRole.ResponsiblePerson, new("丙", null), Handover.AddDays(30));

        // PostgreSQL's own range algebra, not the service: the union of the periods is a multirange of one range from T0 on
        // (no gap), and no two periods share an instant (no overlap).
        const string Periods = """
            FROM assignment a JOIN sealed_shaft s ON s.id = a.object_id
            WHERE a.object_kind = 'sealed_shaft' AND s.code = 'YC-CM-001-J2' AND a.role = 'responsible_person'
            """;
        Assert.Equal("{[\"2026-01-01 00:00:00+00\",)}", await county.Db.ScalarAsync<string>(
            $"SET TIME ZONE 'UTC'; SELECT range_agg(tstzrange(a.valid_from, a.valid_to))::text {Periods}"));
        Assert.Equal(0L, await county.Db.ScalarAsync<long>(
            $"SELECT count(*) {Periods} AND EXISTS (SELECT 1 FROM assignment b WHERE b.id <> a.id AND b.object_kind = a.object_kind AND b.object_id = a.object_id AND b.role = a.role AND tstzrange(b.valid_from, b.valid_to) && tstzrange(a.valid_from, a.valid_to))"));
    }

    [Fact]
    public async Task Assign_WhileSomeoneHoldsTheRole_IsRefused()
    {
        var service = Service();
        var shaft = ResponsibleObject.Shaft("YC-CM-001-J3");
        await service.AssignAsync(shaft, ResponsibilityRole.LeadLeader, new("赵镇长", "13900000001"), T0);

        await Assert.ThrowsAsync<ResponsibilityConflictException>(() =>
            service.AssignAsync(shaft, ResponsibilityRole.LeadLeader, new("钱副镇长", "13900000002"), Handover));
        Assert.Equal("赵镇长", Assert.Single(await service.CurrentAsync(shaft, Handover)).Person.Name);
    }

    [Fact]
    public async Task Handover_WithNobodyHoldingTheRole_IsRefused()
    {
        var service = Service();

        await Assert.ThrowsAsync<ResponsibilityConflictException>(() => service.HandoverAsync(
            ResponsibleObject.Shaft("YC-CM-002-J1"), ResponsibilityRole.ResponsiblePerson, new("孙", null), Handover));
        Assert.Empty(await service.HistoryAsync(ResponsibleObject.Shaft("YC-CM-002-J1")));
    }

    [Fact]
    public async Task Assign_SamePersonTwice_OnePersonRow()
    {
        var service = Service();
        var a = await service.AssignAsync(ResponsibleObject.Shaft("YC-CM-002-J2"), ResponsibilityRole.ResponsiblePerson, new("周红", "13700000009"), T0);
        var b = await service.AssignAsync(ResponsibleObject.Mine("YC-CM-002"), ResponsibilityRole.LeadLeader, new("周红", "13700000009"), T0);

        Assert.Equal(a.PersonId, b.PersonId);
    }

    [Fact]
    public async Task TownScope_ShaftOfAnotherTown_NotFoundThereFoundInItsOwnAndStatusLikewise()
    {
        const string Code = "YC-CM-008-J2";
        var own = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = @c", ("c", Code));
        var other = await county.Db.ScalarAsync<string>("SELECT min(code) FROM jurisdiction WHERE level = 'town' AND code <> @c", ("c", own));
        var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var status = new GeoMine.Patrol.Obligations.ShaftStatusService(db, Microsoft.Extensions.Options.Options.Create(new GeoMine.Patrol.Obligations.PatrolObligationOptions()));

        await Assert.ThrowsAsync<UnknownObjectException>(() =>
            Service().AssignAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("赵敏", null), T0, [other]));
        await Service().AssignAsync(ResponsibleObject.Shaft(Code), ResponsibilityRole.ResponsiblePerson, new("赵敏", null), T0, [other, own]);

        await Assert.ThrowsAsync<UnknownObjectException>(() => Service().CurrentAsync(ResponsibleObject.Shaft(Code), T0, [other]));
        Assert.Single(await Service().CurrentAsync(ResponsibleObject.Shaft(Code), T0, [own]));
        Assert.Null(await status.StatusAsync(Code, T0, [other]));
        Assert.Equal("赵敏", (await status.StatusAsync(Code, T0, [own]))!.Assignments.Single().Person.Name);
    }
}
