using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Alarms;

/// <summary>An orange alarm (1 h to acknowledge) in 临江镇: at 59 min nothing, at 61 min to the town's lead leader,
/// at 2 h 1 min to the county's (the town's parent), then nothing further up; an acknowledgement stops the ladder.
/// A jurisdiction without a leader is passed over and named.</summary>
public sealed class AckEscalationTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>, IAsyncLifetime
{
    private NpgsqlDataSource Db => GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);

    private AckEscalationService Escalation => new(Db, Options.Create(new AckEscalationOptions()));

    public async Task InitializeAsync()
    {
        // The sample towns name county 500118 as parent but the county itself is not a layer: add it.
        await using var connection = await county.Db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO jurisdiction (code, name, level, geom)
            SELECT '500118', '永川区', 'county', ST_Multi(ST_Union(geom)) FROM jurisdiction WHERE level = 'town'
            ON CONFLICT (code) DO NOTHING;
            UPDATE jurisdiction SET parent_id = (SELECT id FROM jurisdiction WHERE code = '500118') WHERE level = 'town';
            """, connection);
        await command.ExecuteNonQueryAsync();
        var responsibility = new ResponsibilityService(Db);
        if ((await responsibility.CurrentAsync(ResponsibleObject.Jurisdiction("500118"), DateTime.UtcNow)).Count == 0)
        {
            await responsibility.AssignAsync(ResponsibleObject.Jurisdiction("500118"), ResponsibilityRole.LeadLeader,
                new("副区长 吴刚", "13700002222"), DateTime.UtcNow.AddDays(-10));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(long Id, DateTime RaisedAt)> RaiseAsync(string shaft, string severity)
    {
        var alarms = new AlarmStore(Db);
        var shaftId = await county.Db.ScalarAsync<long>("SELECT id FROM sealed_shaft WHERE code = @c", ("c", shaft));
        await using var connection = await county.Db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var (id, _) = await alarms.RaiseOrExtendAsync(new AlarmCondition("seal_finding", severity, "sealed_shaft", shaftId, null,
            $"{shaft} 封闭设施破损", now, now, new JsonObject()), connection, transaction, CancellationToken.None);
        await transaction.CommitAsync();
        var raisedAt = await county.Db.ScalarAsync<DateTime>("SELECT raised_at FROM alarm WHERE id = @id", ("id", id));
        return (id, DateTime.SpecifyKind(raisedAt, DateTimeKind.Utc));
    }

    private async Task<JsonArray> StepsAsync(long id) =>
        (await new AlarmStore(Db).ListAsync()).Single(a => a.Id == id).Evidence["ack_escalations"]?.AsArray() ?? [];

    [Fact]
    public async Task Unacknowledged_GoesUpOneJurisdictionPerPeriod_AndStopsAtTheTop()
    {
        // YC-CM-001 is a 临江镇 mine (data/shapefiles/README.md).
        var town = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM closed_mine m JOIN jurisdiction t ON t.id = m.town_id WHERE m.code = 'YC-CM-001'");
        var responsibility = new ResponsibilityService(Db);
        var from = DateTime.UtcNow.AddDays(-10);
        await responsibility.AssignAsync(ResponsibleObject.Jurisdiction(town), ResponsibilityRole.LeadLeader, new("镇长 周明", "13700001111"), from);
        var (id, raisedAt) = await RaiseAsync("YC-CM-001-J1", "orange");

        Assert.Equal(0, await Escalation.RunAsync(raisedAt.AddMinutes(59)));
        Assert.Empty(await StepsAsync(id));

        Assert.Equal(1, await Escalation.RunAsync(raisedAt.AddMinutes(61)));
        Assert.Equal(1, await Escalation.RunAsync(raisedAt.AddMinutes(121)));
        Assert.Equal(0, await Escalation.RunAsync(raisedAt.AddHours(10))); // nobody above the county on record

        var steps = await StepsAsync(id);
        Assert.Equal(["镇长 周明", "副区长 吴刚"], steps.Select(s => s!["person"]!.GetValue<string>()));
        Assert.Equal(2L, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alarm_event WHERE alarm_id = @id AND note LIKE 'not acknowledged%'", ("id", id)));
    }

    [Fact]
    public async Task Acknowledged_IsNotEscalated_AndATownWithoutLeaderIsPassedOverByName()
    {
        var (acked, raisedAt) = await RaiseAsync("YC-CM-004-J3", "red");
        var alarm = (await new AlarmStore(Db).ListAsync()).Single(a => a.Id == acked);
        await new AlarmStore(Db).AcknowledgeAsync(acked, alarm.Version, "值班员 小李");
        // A shaft in another town than YC-CM-001's, whose town has no leader on record.
        var shaft = await county.Db.ScalarAsync<string>("""
            SELECT s.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id
            WHERE m.town_id <> (SELECT town_id FROM closed_mine WHERE code = 'YC-CM-001') ORDER BY s.code LIMIT 1
            """);
        var town = await county.Db.ScalarAsync<string>("""
            SELECT t.name FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = @c
            """, ("c", shaft));
        var (open, _) = await RaiseAsync(shaft, "red");

        await Escalation.RunAsync(raisedAt.AddMinutes(16));

        Assert.Empty(await StepsAsync(acked));
        var step = Assert.Single(await StepsAsync(open))!;
        Assert.Equal("副区长 吴刚", step["person"]!.GetValue<string>());
        Assert.Equal([town], step["skipped"]!.AsArray().Select(s => s!.GetValue<string>()));
    }
}
