using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Patrol.Tests.Alarms;

public sealed class AlarmStoreTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    private static readonly DateTime T0 = new(2026, 11, 10, 2, 0, 0, DateTimeKind.Utc);

    private async Task<(AlarmStore Store, long Id, bool Raised)> RaiseAsync(long objectId, DateTime at, string kind = "out_of_boundary")
    {
        var store = new AlarmStore(GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString));
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var condition = new AlarmCondition(kind, "orange", "mining_right", objectId, null, "越界开采 test", at, at,
            new JsonObject { ["positions"] = new JsonArray(new JsonObject { ["t"] = at.ToString("O") }) });
        var (id, raised) = await store.RaiseOrExtendAsync(condition, connection, transaction, CancellationToken.None);
        await transaction.CommitAsync();
        return (store, id, raised);
    }

    [Fact]
    public async Task RaiseOrExtend_SameConditionTwice_OneAlarmWithBothEvidencePositions()
    {
        var first = await RaiseAsync(101, T0);
        var second = await RaiseAsync(101, T0.AddMinutes(5));

        Assert.True(first.Raised);
        Assert.False(second.Raised);
        Assert.Equal(first.Id, second.Id);
        var alarm = (await first.Store.ListAsync()).Single(a => a.Id == first.Id);
        Assert.Equal(T0.AddMinutes(5), alarm.LastSeenAt);
        Assert.Equal(2, alarm.Evidence["positions"]!.AsArray().Count);
    }

    [Fact]
    public async Task Loop_AcknowledgeAssignClose_EveryStepAuditedInOrder()
    {
        var (store, id, _) = await RaiseAsync(102, T0);

        var acked = await store.AcknowledgeAsync(id, 1, "张镇长");
        var assigned = await store.AssignAsync(id, acked.Version, "张镇长", "李四", T0.AddDays(1));
        var closed = await store.CloseAsync(id, assigned.Version, "李四", "confirmed", "现场有挖掘机作业，已责令停工");

        Assert.Equal("closed", closed.State);
        Assert.Equal("confirmed", closed.Outcome);
        Assert.Equal("李四", closed.Assignee);
        var trail = await db.ScalarAsync<string[]>(
            "SELECT array_agg(coalesce(from_state, '-') || '>' || to_state || ':' || actor ORDER BY id) FROM alarm_event WHERE alarm_id = @id", ("id", id));
        Assert.Equal(["->raised:system", "raised>acknowledged:张镇长", "acknowledged>verifying:张镇长", "verifying>closed:李四"], trail);
    }

    [Fact]
    public async Task Acknowledge_TwoConcurrentCallers_OneSucceedsOneGetsAConflict()
    {
        var (store, id, _) = await RaiseAsync(103, T0);

        var results = await Task.WhenAll(
            Task.Run(async () => { try { await store.AcknowledgeAsync(id, 1, "甲"); return "ok"; } catch (AlarmConflictException) { return "conflict"; } }),
            Task.Run(async () => { try { await store.AcknowledgeAsync(id, 1, "乙"); return "ok"; } catch (AlarmConflictException) { return "conflict"; } }));

        Assert.Equal(["conflict", "ok"], results.Order());
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM alarm_event WHERE alarm_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Reopen_WithoutReason_IsRefused_WithReason_ReturnsToRaised()
    {
        var (store, id, _) = await RaiseAsync(104, T0);
        var acked = await store.AcknowledgeAsync(id, 1, "甲");
        var closed = await store.CloseAsync(id, acked.Version, "甲", "false_alarm", "设备检修");

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReopenAsync(id, closed.Version, "乙", " "));
        var reopened = await store.ReopenAsync(id, closed.Version, "乙", "群众再次举报");

        Assert.Equal("raised", reopened.State);
    }

    [Fact]
    public async Task AlarmEvent_UpdateOrDelete_IsRefusedByTheDatabase()
    {
        var (_, id, _) = await RaiseAsync(105, T0);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<object>("DELETE FROM alarm_event WHERE alarm_id = @id", ("id", id)));

        Assert.Contains("append-only", error.MessageText);
    }
}
