using System.Globalization;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Responsibility;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Obligations;

/// <summary>
/// The overdue-patrol job's work: rates sealed shafts at a given "now" against their interval.
/// Overdue → alarm <c>patrol_overdue</c> (yellow) addressed to the responsible person (一对一责任人);
/// overdue past <see cref="PatrolObligationOptions.EscalateAfterIntervals"/> intervals → orange, escalated
/// to the lead leader (包保领导); a visit ends the episode at its arrival. A shaft without a responsible
/// person → alarm <c>shaft_unassigned</c> until someone is assigned. A never-visited shaft's interval
/// counts from the start of its first responsible person (a handover never restarts it). All changes commit in one transaction.
/// A run re-rates only the shafts whose rating can have changed since the last run (incremental): those whose inputs
/// changed (<c>shaft_patrol_dirty</c>, filled by triggers on visits, assignments, mines and shafts) and those whose
/// next rating change in time has come (<c>shaft_patrol_rating.recheck_at</c>). The first run, a run with other interval
/// settings, a run earlier than the last one, and a run asked to, re-rate every shaft (full). A running episode's
/// <c>last_seen_at</c> is the last time a run re-rated its shaft.
/// </summary>
public sealed class PatrolOverdueService(NpgsqlDataSource db, AlarmStore alarms, IOptions<PatrolObligationOptions> options)
{
    /// <summary>Alarm kind of an overdue patrol.</summary>
    public static readonly string OverdueKind = AlarmKinds.PatrolOverdue.Code;

    /// <summary>Alarm kind of a shaft nobody answers for.</summary>
    public static readonly string UnassignedKind = AlarmKinds.ShaftUnassigned.Code;

    // The shaft's rating inputs, and the next instants after @now at which time alone changes them: a visit recorded for
    // a later time, an assignment of the shaft or its mine starting or ending.
    private const string Shafts = """
        SELECT s.id, s.code, m.name, m.closure_status, m.risk_class,
               (SELECT max(v.arrived_at) FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at <= @now),
               r.person_id, rp.name, rp.phone, shaft_clock_start(s.id, @now),
               l.id, l.name, l.phone,
               (SELECT min(v.arrived_at) FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at > @now),
               least((SELECT min(least(CASE WHEN a.valid_from > @now THEN a.valid_from END, CASE WHEN a.valid_to > @now THEN a.valid_to END))
                      FROM assignment a WHERE a.object_kind = 'sealed_shaft' AND a.object_id = s.id AND a.role IN ('responsible_person', 'lead_leader')
                        AND (a.valid_to IS NULL OR a.valid_to > @now)),
                     (SELECT min(least(CASE WHEN a.valid_from > @now THEN a.valid_from END, CASE WHEN a.valid_to > @now THEN a.valid_to END))
                      FROM assignment a WHERE a.object_kind = 'closed_mine' AND a.object_id = s.mine_id AND a.role = 'lead_leader'
                        AND (a.valid_to IS NULL OR a.valid_to > @now)))
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
        """;

    // The shafts an incremental run re-rates; the dirty marks it takes are gone for the next run once this one commits.
    private const string Candidates = """
        WITH dirty AS (DELETE FROM shaft_patrol_dirty RETURNING shaft_id)
        SELECT shaft_id FROM dirty
        UNION
        SELECT shaft_id FROM shaft_patrol_rating WHERE recheck_at <= @now
        """;

    private const string LockRun = """
        INSERT INTO patrol_rating_run (rated_at, settings) VALUES ('-infinity', '') ON CONFLICT DO NOTHING;
        SELECT rated_at, settings FROM patrol_rating_run FOR UPDATE;
        """;

    private const string SaveRatings = """
        INSERT INTO shaft_patrol_rating AS r (shaft_id, rated_at, status, last_visit_at, due_at, escalated, assigned, recheck_at)
        SELECT u.shaft_id, @now, u.status, u.last_visit_at, u.due_at, u.escalated, u.assigned, u.recheck_at
        FROM unnest(@ids, @statuses, @lasts, @dues, @escalated, @assigned, @rechecks) AS u(shaft_id, status, last_visit_at, due_at, escalated, assigned, recheck_at)
        ON CONFLICT (shaft_id) DO UPDATE SET rated_at = EXCLUDED.rated_at, status = EXCLUDED.status, last_visit_at = EXCLUDED.last_visit_at,
            due_at = EXCLUDED.due_at, escalated = EXCLUDED.escalated, assigned = EXCLUDED.assigned, recheck_at = EXCLUDED.recheck_at;
        UPDATE patrol_rating_run SET rated_at = @now, settings = @settings;
        SELECT status, count(*)::int FROM shaft_patrol_rating GROUP BY status;
        """;

    private const string OpenEpisodes = """
        SELECT kind, object_id, id, severity, (evidence -> 'responsible_person' ->> 'id')::bigint,
               (evidence -> 'lead_leader' ->> 'id')::bigint, (evidence ->> 'interval_days')::float8
        FROM alarm WHERE kind = ANY(@kinds) AND object_kind = 'sealed_shaft' AND ended_at IS NULL
        """;

    private const string OpenEpisodesOf = OpenEpisodes + " AND object_id = ANY(@ids)";

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>Rates, as of <paramref name="nowUtc"/>, the shafts whose rating can have changed since the last run, and updates the alarms.</summary>
    public Task<PatrolOverdueResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default) => RunAsync(nowUtc, false, cancellationToken);

    /// <summary>Rates, as of <paramref name="nowUtc"/>, the shafts whose rating can have changed since the last run
    /// (every shaft when <paramref name="full"/> or when the run cannot be incremental) and updates the alarms.</summary>
    public async Task<PatrolOverdueResult> RunAsync(DateTime nowUtc, bool full, CancellationToken cancellationToken = default)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var fingerprint = settings.Fingerprint();
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await Visits.PatrolVisitService.NoJitAsync(connection, transaction, cancellationToken);
            await using (var lockRun = new NpgsqlCommand(LockRun, connection, transaction))
            await using (var r = await lockRun.ExecuteReaderAsync(cancellationToken))
            {
                await r.ReadAsync(cancellationToken);
                var lastRun = r.GetFieldValue<DateTime?>(0); // '-infinity' before the first run: null here
                full |= lastRun is not { } t || nowUtc < t || r.GetString(1) != fingerprint;
            }

            long[]? candidates = null;
            await using (var take = new NpgsqlCommand(full ? "DELETE FROM shaft_patrol_dirty" : Candidates, connection, transaction))
            {
                if (full)
                {
                    await take.ExecuteNonQueryAsync(cancellationToken);
                }
                else
                {
                    take.Parameters.AddWithValue("now", nowUtc);
                    candidates = await ReadIdsAsync(take, cancellationToken);
                }
            }

            var rows = await ReadShaftsAsync(connection, transaction, nowUtc, candidates, settings, cancellationToken);
            var open = await OpenEpisodesAsync(connection, transaction, candidates, cancellationToken);
            // Decisions first, then one statement per kind of change: a run costs the same handful of statements whether it
            // re-rates ten shafts or every shaft.
            var unchanged = new List<long>();
            var ends = new List<EpisodeEnd>();
            var raises = new List<AlarmCondition>();
            var escalateRaised = new Dictionary<int, Escalation>(); // index into raises → escalation once its id is known
            var escalations = new List<Escalation>();
            var states = new List<ShaftPatrolState>(rows.Count);
            var rechecks = new DateTime?[rows.Count];
            foreach (var row in rows)
            {
                var interval = row.Interval;
                var (status, due, escalateAt, isEscalated) = ShaftPatrolRating.Of(interval, row.LastVisit, row.ClockStart, nowUtc, settings);
                rechecks[states.Count] = Earliest(nowUtc, row.LastVisit is null ? null : due - settings.DueSoonWindow(interval), due, escalateAt, row.NextVisit, row.NextAssignmentChange);

                var unassigned = open.GetValueOrDefault((UnassignedKind, row.ShaftId));
                if (row.Responsible is null)
                {
                    if (unassigned is not null && unassigned.LeadLeaderId == row.LeadLeader?.Id)
                    {
                        unchanged.Add(unassigned.Id);
                    }
                    else
                    {
                        raises.Add(Unassigned(row, nowUtc));
                    }
                }
                else if (unassigned is not null)
                {
                    ends.Add(new EpisodeEnd(UnassignedKind, "sealed_shaft", row.ShaftId, null, nowUtc));
                }

                var overdue = open.GetValueOrDefault((OverdueKind, row.ShaftId));
                if (status == PatrolStatus.Overdue)
                {
                    var escalation = isEscalated && overdue?.Severity is not ("orange" or "red")
                        ? new Escalation(overdue?.Id ?? 0, "orange", EscalationEvidence(row, escalateAt!.Value),
                            $"逾期超过 {settings.EscalateAfterIntervals} 个巡查周期，升级至包保领导 {row.LeadLeader?.Name ?? "(未指定)"}")
                        : null;
                    if (overdue is not null && overdue.ResponsibleId == row.Responsible?.Id && overdue.IntervalDays == interval.TotalDays)
                    {
                        unchanged.Add(overdue.Id);
                        if (escalation is not null)
                        {
                            escalations.Add(escalation);
                        }
                    }
                    else
                    {
                        if (escalation is not null)
                        {
                            escalateRaised[raises.Count] = escalation;
                        }

                        raises.Add(Overdue(row, due!.Value, interval, nowUtc));
                    }
                }
                else if (overdue is not null)
                {
                    ends.Add(new EpisodeEnd(OverdueKind, "sealed_shaft", row.ShaftId, null, row.LastVisit ?? nowUtc));
                }

                states.Add(new ShaftPatrolState(row.ShaftId, row.Code, status, row.LastVisit, due, isEscalated,
                    row.Responsible?.Contact, row.LeadLeader?.Contact));
            }

            var ended = await alarms.EndEpisodesAsync(ends, connection, transaction, cancellationToken);
            var upserted = await alarms.RaiseOrExtendAsync(raises, connection, transaction, cancellationToken);
            escalations.AddRange(escalateRaised.Select(e => e.Value with { Id = upserted[e.Key].Id }));
            var escalated = await alarms.EscalateAsync(escalations, connection, transaction, cancellationToken);
            var raised = upserted.Count(u => u.Raised);
            await AlarmStore.TouchAsync([.. unchanged], nowUtc, connection, transaction, cancellationToken);

            var totals = await SaveRatingsAsync(connection, transaction, nowUtc, fingerprint, states, rechecks, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new PatrolOverdueResult(nowUtc, full, states, totals, raised, escalated, ended);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    /// <summary>The earliest of the instants after <paramref name="now"/>; null when none is.</summary>
    private static DateTime? Earliest(DateTime now, params DateTime?[] instants)
    {
        DateTime? earliest = null;
        foreach (var t in instants)
        {
            if (t > now && (earliest is null || t < earliest))
            {
                earliest = t;
            }
        }

        return earliest;
    }

    private static async Task<long[]> ReadIdsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var ids = new List<long>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            ids.Add(r.GetInt64(0));
        }

        return [.. ids];
    }

    private static async Task<List<Row>> ReadShaftsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTime nowUtc, long[]? ids, PatrolObligationOptions settings, CancellationToken ct)
    {
        var rows = new List<Row>();
        await using var command = new NpgsqlCommand(ids is null ? Shafts : Shafts + " WHERE s.id = ANY(@ids)", connection, transaction);
        command.Parameters.AddWithValue("now", nowUtc);
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids);
        }

        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var code = r.GetString(1);
            rows.Add(new Row(r.GetInt64(0), code, r.GetString(2),
                settings.IntervalOf(code, r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
                r.GetFieldValue<DateTime?>(5),
                r.IsDBNull(6) ? null : new Person(r.GetInt64(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8)),
                r.GetFieldValue<DateTime?>(9),
                r.IsDBNull(10) ? null : new Person(r.GetInt64(10), r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12)),
                r.GetFieldValue<DateTime?>(13),
                r.GetFieldValue<DateTime?>(14)));
        }

        return rows;
    }

    private static async Task<IReadOnlyDictionary<PatrolStatus, int>> SaveRatingsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTime nowUtc, string fingerprint,
        List<ShaftPatrolState> states, DateTime?[] rechecks, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SaveRatings, connection, transaction);
        command.Parameters.AddWithValue("now", nowUtc);
        command.Parameters.AddWithValue("settings", fingerprint);
        command.Parameters.AddWithValue("ids", states.Select(s => s.ShaftId).ToArray());
        command.Parameters.AddWithValue("statuses", states.Select(s => PatrolStatusCode.Of(s.Status)).ToArray());
        command.Parameters.Add(Timestamps("lasts", states.Select(s => s.LastVisitAt)));
        command.Parameters.Add(Timestamps("dues", states.Select(s => s.DueAt)));
        command.Parameters.AddWithValue("escalated", states.Select(s => s.Escalated).ToArray());
        command.Parameters.AddWithValue("assigned", states.Select(s => s.Responsible is not null).ToArray());
        command.Parameters.Add(Timestamps("rechecks", rechecks));
        var totals = new Dictionary<PatrolStatus, int>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            totals[PatrolStatusCode.Parse(r.GetString(0))] = r.GetInt32(1);
        }

        return totals;
    }

    private static NpgsqlParameter Timestamps(string name, IEnumerable<DateTime?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = values.ToArray() };

    private static async Task<Dictionary<(string Kind, long ShaftId), Episode>> OpenEpisodesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[]? ids, CancellationToken ct)
    {
        var open = new Dictionary<(string, long), Episode>();
        await using var command = new NpgsqlCommand(ids is null ? OpenEpisodes : OpenEpisodesOf, connection, transaction);
        command.Parameters.AddWithValue("kinds", new[] { OverdueKind, UnassignedKind });
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids);
        }

        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            open[(r.GetString(0), r.GetInt64(1))] = new Episode(r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetDouble(6));
        }

        return open;
    }

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

    private static JsonObject EscalationEvidence(Row row, DateTime at) => new()
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
        long ShaftId, string Code, string Mine, TimeSpan Interval, DateTime? LastVisit, Person? Responsible, DateTime? ClockStart, Person? LeadLeader,
        DateTime? NextVisit, DateTime? NextAssignmentChange);
}
