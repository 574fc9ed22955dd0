using System.Text;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Obligations;

/// <summary>
/// The overdue job re-rates only the shafts whose rating can have changed. Whatever happens between two runs — visits
/// recorded (also for a later time than the run), visits removed, responsible persons assigned, handed over and ended
/// (also from a future date), mine and shaft lead leaders, risk classes and closure statuses changed, shafts added —
/// the stored ratings and alarms after an incremental run must be exactly what re-rating every shaft at the same instant
/// gives, and that full re-rating must find nothing to raise, escalate or end.
/// </summary>
public sealed class IncrementalRatingTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly DateTime Day0 = new(2026, 10, 1, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task RunAsync_SixtyRandomSteps_IncrementalRunLeavesWhatAFullRunAtTheSameInstantLeaves()
    {
        await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var service = new PatrolOverdueService(db, new AlarmStore(db), Options.Create(new PatrolObligationOptions()));
        var responsibility = new ResponsibilityService(db);
        var random = new Random(20261123);
        var shafts = await CodesAsync(db, "SELECT code FROM sealed_shaft ORDER BY code");
        var mines = await CodesAsync(db, "SELECT code FROM closed_mine ORDER BY code");
        var now = Day0;
        Assert.True((await service.RunAsync(now)).Full); // the first run rates every shaft
        var incremental = 0;
        for (var step = 0; step < 60; step++)
        {
            now = now.AddHours(random.Next(1, 40));
            var done = new List<string>();
            for (var change = random.Next(0, 4); change > 0; change--)
            {
                done.Add(await ChangeAsync(db, responsibility, random, now, shafts, mines));
            }

            var run = await service.RunAsync(now);
            incremental += run.Full ? 0 : 1;
            var afterIncremental = await SnapshotAsync(db);
            var full = await service.RunAsync(now, full: true);

            var context = $"step {step} at {now:u} after [{string.Join("; ", done)}]";
            Assert.True((full.Raised, full.Escalated, full.Ended) == (0, 0, 0),
                $"{context}: the full run raised {full.Raised}, escalated {full.Escalated}, ended {full.Ended}");
            Assert.Equal(afterIncremental, await SnapshotAsync(db));
            Assert.True(run.Shafts.Count <= full.Shafts.Count);
        }

        Assert.Equal(60, incremental);
        // The runs did work: alarms of both kinds were raised, escalated and ended along the way.
        Assert.True(await county.Db.ScalarAsync<long>(
            "SELECT count(DISTINCT kind) FROM alarm WHERE kind IN ('patrol_overdue', 'shaft_unassigned') AND ended_at IS NOT NULL") == 2);
        Assert.True(await county.Db.ScalarAsync<long>("SELECT count(*) FROM alarm WHERE kind = 'patrol_overdue' AND severity = 'orange'") > 0);
    }

    /// <summary>One random change of the ratings' inputs; returns what it did.</summary>
    private static async Task<string> ChangeAsync(
        NpgsqlDataSource db, ResponsibilityService responsibility, Random random, DateTime now, List<string> shafts, List<string> mines)
    {
        var shaft = shafts[random.Next(shafts.Count)];
        var mine = mines[random.Next(mines.Count)];
        switch (random.Next(9))
        {
            case 0 or 1 or 2:
                var arrived = now.AddHours(random.Next(-72, 48)); // also later than the next run
                await ExecuteAsync(db, "INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source) " +
                    "SELECT id, @t, @t + interval '5 minutes', 'record' FROM sealed_shaft WHERE code = @code", ("t", arrived), ("code", shaft));
                return $"visit {shaft} {arrived:u}";
            case 3:
                await ExecuteAsync(db, "DELETE FROM patrol_visit WHERE id = (SELECT max(v.id) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id " +
                    "WHERE s.code = @code)", ("code", shaft));
                return $"visit of {shaft} removed";
            case 4 or 5:
                var from = now.AddHours(random.Next(-24, 48));
                var person = new ContactPerson($"责任人{random.Next(1000)}", null);
                try
                {
                    await responsibility.HandoverAsync(ResponsibleObject.Shaft(shaft), ResponsibilityRole.ResponsiblePerson, person, from);
                    return $"handover {shaft} {from:u}";
                }
                catch (ResponsibilityConflictException)
                {
                    try
                    {
                        await responsibility.AssignAsync(ResponsibleObject.Shaft(shaft), ResponsibilityRole.ResponsiblePerson, person, from);
                        return $"assign {shaft} {from:u}";
                    }
                    catch (ResponsibilityConflictException)
                    {
                        return $"assign {shaft} {from:u} refused";
                    }
                }

            case 6:
                var end = now.AddHours(random.Next(-12, 48));
                await ExecuteAsync(db, "UPDATE assignment SET valid_to = @t WHERE object_kind = 'sealed_shaft' AND role = 'responsible_person' " +
                    "AND object_id = (SELECT id FROM sealed_shaft WHERE code = @code) AND valid_from < @t AND (valid_to IS NULL OR valid_to > @t)",
                    ("t", end), ("code", shaft));
                return $"responsibility for {shaft} ends {end:u}";
            case 7:
                var leaderFrom = now.AddHours(random.Next(-12, 24));
                var leader = new ContactPerson($"领导{random.Next(100)}", null);
                var target = random.Next(2) == 0 ? ResponsibleObject.Mine(mine) : ResponsibleObject.Shaft(shaft);
                try
                {
                    await responsibility.HandoverAsync(target, ResponsibilityRole.LeadLeader, leader, leaderFrom);
                }
                catch (ResponsibilityConflictException)
                {
                    try
                    {
                        await responsibility.AssignAsync(target, ResponsibilityRole.LeadLeader, leader, leaderFrom);
                    }
                    catch (ResponsibilityConflictException)
                    {
                        return $"lead leader {target.Code} refused";
                    }
                }

                return $"lead leader {target.Code} {leaderFrom:u}";
            default:
                if (random.Next(3) == 0)
                {
                    var code = $"{mine}-N{random.Next(1_000_000)}";
                    await ExecuteAsync(db, "INSERT INTO sealed_shaft (code, mine_id, geom) SELECT @code, id, ST_PointOnSurface(geom) FROM closed_mine WHERE code = @mine",
                        ("code", code), ("mine", mine));
                    shafts.Add(code);
                    return $"new shaft {code}";
                }

                var riskClass = new[] { "A", "B", "C", "D", null }[random.Next(5)];
                var status = new[] { "closing", "closed", "sealed", "stopped" }[random.Next(4)];
                await ExecuteAsync(db, "UPDATE closed_mine SET risk_class = @class, closure_status = @status WHERE code = @mine",
                    ("class", (object?)riskClass ?? DBNull.Value), ("status", status), ("mine", mine));
                return $"mine {mine} {status} class {riskClass ?? "none"}";
        }
    }

    /// <summary>Every shaft's stored rating and every running episode, as text (last_seen_at aside: it records the last re-rating).</summary>
    private static async Task<string> SnapshotAsync(NpgsqlDataSource db)
    {
        var text = new StringBuilder();
        await using var command = db.CreateCommand("""
            SELECT s.code, r.status, r.due_at, r.escalated, r.assigned, r.last_visit_at, r.recheck_at
            FROM sealed_shaft s LEFT JOIN shaft_patrol_rating r ON r.shaft_id = s.id ORDER BY s.code;
            SELECT a.kind, s.code, a.severity, a.started_at, a.evidence -> 'responsible_person' ->> 'id', a.evidence -> 'lead_leader' ->> 'id',
                   a.evidence ->> 'interval_days'
            FROM alarm a JOIN sealed_shaft s ON s.id = a.object_id
            WHERE a.kind IN ('patrol_overdue', 'shaft_unassigned') AND a.ended_at IS NULL ORDER BY a.kind, s.code;
            SELECT count(*), max(ended_at) FROM alarm WHERE kind IN ('patrol_overdue', 'shaft_unassigned') AND ended_at IS NOT NULL;
            """);
        await using var r = await command.ExecuteReaderAsync();
        do
        {
            while (await r.ReadAsync())
            {
                for (var i = 0; i < r.FieldCount; i++)
                {
                    text.Append(r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                text.AppendLine();
            }
        }
        while (await r.NextResultAsync());
        return text.ToString();
    }

    private static async Task<List<string>> CodesAsync(NpgsqlDataSource db, string sql)
    {
        var codes = new List<string>();
        await using var command = db.CreateCommand(sql);
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            codes.Add(r.GetString(0));
        }

        return codes;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
