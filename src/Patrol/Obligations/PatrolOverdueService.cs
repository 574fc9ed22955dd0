using System.Globalization;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Responsibility;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Obligations;

/// <summary>
/// The overdue-patrol job's work: evaluates every sealed shaft at a given "now" against its interval.
/// Overdue → alarm <c>patrol_overdue</c> (yellow) addressed to the responsible person (一对一责任人);
/// overdue past <see cref="PatrolObligationOptions.EscalateAfterIntervals"/> intervals → orange, escalated
/// to the lead leader (包保领导); a visit ends the episode at its arrival. A shaft without a responsible
/// person → alarm <c>shaft_unassigned</c> until someone is assigned. A never-visited shaft's interval
/// counts from the start of its responsible person's assignment. All changes commit in one transaction.
/// </summary>
public sealed class PatrolOverdueService(NpgsqlDataSource db, AlarmStore alarms, IOptions<PatrolObligationOptions> options)
{
    /// <summary>Alarm kind of an overdue patrol.</summary>
    public const string OverdueKind = "patrol_overdue";

    /// <summary>Alarm kind of a shaft nobody answers for.</summary>
    public const string UnassignedKind = "shaft_unassigned";

    private const string Shafts = """
        SELECT s.id, s.code, m.name, m.closure_status, m.risk_class,
               (SELECT max(v.arrived_at) FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at <= @now),
               r.person_id, rp.name, rp.phone, r.valid_from,
               l.id, l.name, l.phone
        FROM sealed_shaft s
        JOIN closed_mine m ON m.id = s.mine_id
        LEFT JOIN assignment r ON r.object_kind = 'sealed_shaft' AND r.object_id = s.id AND r.role = 'responsible_person'
                              AND r.valid_from <= @now AND (r.valid_to IS NULL OR r.valid_to > @now)
        LEFT JOIN person rp ON rp.id = r.person_id
        -- One holder per object and role at any instant (the assignment exclusion constraint): these joins never multiply rows.
        LEFT JOIN assignment ls ON ls.object_kind = 'sealed_shaft' AND ls.object_id = s.id AND ls.role = 'lead_leader'
                               AND ls.valid_from <= @now AND (ls.valid_to IS NULL OR ls.valid_to > @now)
        LEFT JOIN assignment lm ON lm.object_kind = 'closed_mine' AND lm.object_id = s.mine_id AND lm.role = 'lead_leader'
                               AND lm.valid_from <= @now AND (lm.valid_to IS NULL OR lm.valid_to > @now)
        LEFT JOIN person l ON l.id = coalesce(ls.person_id, lm.person_id)
        ORDER BY s.id
        """;

    private const string OpenEpisodes = """
        SELECT kind, object_id, id, severity, (evidence -> 'responsible_person' ->> 'id')::bigint,
               (evidence -> 'lead_leader' ->> 'id')::bigint, (evidence ->> 'interval_days')::float8
        FROM alarm WHERE kind IN ('patrol_overdue', 'shaft_unassigned') AND object_kind = 'sealed_shaft' AND ended_at IS NULL
        """;

    // What RaiseOrExtendAsync does to a running episode when the condition's evidence is the same as before.
    private const string ExtendUnchanged = """
        UPDATE alarm SET last_seen_at = greatest(last_seen_at, @now), updated_at = now() WHERE id = ANY(@ids) AND ended_at IS NULL
        """;

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>Evaluates every shaft as of <paramref name="nowUtc"/> and updates the alarms.</summary>
    public async Task<PatrolOverdueResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<Row>();
            await Visits.PatrolVisitService.NoJitAsync(connection, transaction, cancellationToken);
            await using (var command = new NpgsqlCommand(Shafts, connection, transaction))
            {
                command.Parameters.AddWithValue("now", nowUtc);
                await using var r = await command.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    var code = r.GetString(1);
                    rows.Add(new Row(r.GetInt64(0), code, r.GetString(2),
                        settings.IntervalOf(code, r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
                        r.IsDBNull(5) ? null : r.GetDateTime(5),
                        r.IsDBNull(6) ? null : new Person(r.GetInt64(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8)),
                        r.IsDBNull(9) ? null : r.GetDateTime(9),
                        r.IsDBNull(10) ? null : new Person(r.GetInt64(10), r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12))));
                }
            }

            var open = await OpenEpisodesAsync(connection, transaction, cancellationToken);
            var unchanged = new List<long>();
            int raised = 0, escalated = 0, ended = 0;
            var states = new List<ShaftPatrolState>(rows.Count);
            foreach (var row in rows)
            {
                var interval = row.Interval;
                var (status, due, escalateAt, isEscalated) = ShaftPatrolRating.Of(interval, row.LastVisit, row.ResponsibleFrom, nowUtc, settings);

                // Only changes cost a statement each: a running episode whose evidence would not change is extended in bulk below.
                var unassigned = open.GetValueOrDefault((UnassignedKind, row.ShaftId));
                if (row.Responsible is null)
                {
                    if (unassigned is not null && unassigned.LeadLeaderId == row.LeadLeader?.Id)
                    {
                        unchanged.Add(unassigned.Id);
                    }
                    else
                    {
                        raised += await RaiseAsync(Unassigned(row, nowUtc), connection, transaction, cancellationToken) is (_, true) ? 1 : 0;
                    }
                }
                else if (unassigned is not null
                         && await alarms.EndEpisodeAsync(UnassignedKind, "sealed_shaft", row.ShaftId, null, nowUtc, connection, transaction, cancellationToken))
                {
                    ended++;
                }

                var overdue = open.GetValueOrDefault((OverdueKind, row.ShaftId));
                if (status == PatrolStatus.Overdue)
                {
                    long id;
                    if (overdue is not null && overdue.ResponsibleId == row.Responsible?.Id && overdue.IntervalDays == interval.TotalDays)
                    {
                        id = overdue.Id;
                        unchanged.Add(id);
                    }
                    else
                    {
                        (id, var isNew) = await RaiseAsync(Overdue(row, due!.Value, interval, nowUtc), connection, transaction, cancellationToken);
                        raised += isNew ? 1 : 0;
                    }

                    if (isEscalated && overdue?.Severity is not ("orange" or "red")
                        && await alarms.EscalateAsync(id, "orange", Escalation(row, escalateAt!.Value),
                            $"逾期超过 {settings.EscalateAfterIntervals} 个巡查周期，升级至包保领导 {row.LeadLeader?.Name ?? "(未指定)"}",
                            connection, transaction, cancellationToken))
                    {
                        escalated++;
                    }
                }
                else if (overdue is not null
                         && await alarms.EndEpisodeAsync(OverdueKind, "sealed_shaft", row.ShaftId, null, row.LastVisit ?? nowUtc,
                             connection, transaction, cancellationToken))
                {
                    ended++;
                }

                states.Add(new ShaftPatrolState(row.ShaftId, row.Code, status, row.LastVisit, due, isEscalated,
                    row.Responsible?.Contact, row.LeadLeader?.Contact));
            }

            await using (var extend = new NpgsqlCommand(ExtendUnchanged, connection, transaction))
            {
                extend.Parameters.AddWithValue("ids", unchanged.ToArray());
                extend.Parameters.AddWithValue("now", nowUtc);
                await extend.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new PatrolOverdueResult(nowUtc, states, raised, escalated, ended);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    private static async Task<Dictionary<(string Kind, long ShaftId), Episode>> OpenEpisodesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var open = new Dictionary<(string, long), Episode>();
        await using var command = new NpgsqlCommand(OpenEpisodes, connection, transaction);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            open[(r.GetString(0), r.GetInt64(1))] = new Episode(r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetDouble(6));
        }

        return open;
    }

    private Task<(long Id, bool Raised)> RaiseAsync(AlarmCondition condition, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct) =>
        alarms.RaiseOrExtendAsync(condition, connection, transaction, ct);

    private static AlarmCondition Overdue(Row row, DateTime due, TimeSpan interval, DateTime now) => new(
        OverdueKind, "yellow", "sealed_shaft", row.ShaftId, null,
        $"{row.Mine} 封闭井口 {row.Code} 逾期未巡查（巡查周期 {interval.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} 天）",
        due, now,
        new JsonObject
        {
            ["shaft_code"] = row.Code,
            ["last_visit_at"] = row.LastVisit?.ToString("O", CultureInfo.InvariantCulture),
            ["due_at"] = due.ToString("O", CultureInfo.InvariantCulture),
            ["interval_days"] = interval.TotalDays,
            ["responsible_person"] = row.Responsible?.Json(), // null: visited once, unassigned since (shaft_unassigned too)
        });

    private static JsonObject Escalation(Row row, DateTime at) => new()
    {
        ["escalated_at"] = at.ToString("O", CultureInfo.InvariantCulture),
        ["lead_leader"] = row.LeadLeader?.Json(),
    };

    private static AlarmCondition Unassigned(Row row, DateTime now) => new(
        UnassignedKind, "orange", "sealed_shaft", row.ShaftId, null, $"{row.Mine} 封闭井口 {row.Code} 无一对一责任人", now, now,
        new JsonObject { ["shaft_code"] = row.Code, ["lead_leader"] = row.LeadLeader?.Json() });

    private sealed record Person(long Id, string Name, string? Phone)
    {
        public ContactPerson Contact => new(Name, Phone);

        public JsonObject Json() => new() { ["id"] = Id, ["name"] = Name, ["phone"] = Phone };
    }

    /// <summary>A running episode and the evidence that decides whether a run must rewrite it.</summary>
    private sealed record Episode(long Id, string Severity, long? ResponsibleId, long? LeadLeaderId, double? IntervalDays);

    private sealed record Row(
        long ShaftId, string Code, string Mine, TimeSpan Interval, DateTime? LastVisit, Person? Responsible, DateTime? ResponsibleFrom, Person? LeadLeader);
}
