using GeoMine.Geo;
using GeoMine.Patrol.Alarms;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Tailings;

/// <summary>
/// The tailings watch: reads the registry at a moment, computes class (等别) and 头顶库 in PostGIS, evaluates
/// <see cref="TailingsRules"/>, keeps one alarm episode per (rule, pond) in the shared loop while a finding holds, and
/// builds the reviewer's list. 头顶库 distances are measured in the CGCS2000 3° Gauss-Krüger zone of the dam toe
/// (EPSG:4534-4554, metres): the first <see cref="TailingsOptions.DownstreamReachM"/> of the flow path from the point
/// of the path nearest the toe, and facilities within <see cref="TailingsOptions.CorridorHalfWidthM"/> of that reach.
/// </summary>
public sealed class TailingsWatchService(NpgsqlDataSource db, AlarmStore alarms, IOptions<TailingsOptions> options)
{
    /// <summary>Roles of the "three responsible persons" of a pond.</summary>
    public static readonly string[] PondRoles = ["government_leader", "regulator", "enterprise_principal"];

    private const string Ponds = """
        SELECT p.id, p.code, p.name, t.name, p.status, p.disused_since, p.design_crest_m, p.operator, p.total_storage_10k_m3,
               p.dam_height_m, p.construction_method, p.closed_on, p.deregistered_on, p.plan_ref, p.flow_path IS NOT NULL,
               o.class, o.reason, o.actor, o.at
        FROM tailings_pond p LEFT JOIN jurisdiction t ON t.id = p.town_id
        LEFT JOIN LATERAL (SELECT class, reason, actor, at FROM tailings_class_override c
                           WHERE c.pond_id = p.id AND c.at <= @now ORDER BY c.at DESC, c.id DESC LIMIT 1) o ON true
        WHERE (@town::text IS NULL OR t.name = @town OR t.code = @town) AND (@code::text IS NULL OR p.code = @code)
        ORDER BY p.code
        """;

    // The reach starts at the path point nearest the toe (the toe itself when the path starts there, as it should).
    private const string Downstream = """
        WITH p AS (
            SELECT id, flow_path, coalesce(dam_toe, ST_StartPoint(flow_path)) AS toe,
                   4534 + round(ST_X(coalesce(dam_toe, ST_StartPoint(flow_path))) / 3)::int - 25 AS srid
            FROM tailings_pond WHERE flow_path IS NOT NULL AND id = ANY(@ids)),
        m AS (SELECT id, srid, ST_Transform(flow_path, srid) AS path, ST_Transform(toe, srid) AS toe FROM p),
        r AS (SELECT id, srid, toe,
                     ST_LineSubstring(path, ST_LineLocatePoint(path, toe),
                                      least(1.0, ST_LineLocatePoint(path, toe) + @reach / nullif(ST_Length(path), 0))) AS reach
              FROM m)
        SELECT r.id, f.code, f.name, f.kind, f.population,
               ST_LineLocatePoint(r.reach, ST_ClosestPoint(r.reach, g.fm)) * ST_Length(r.reach) AS along_m,
               ST_Distance(g.fm, r.reach) AS off_m,
               ST_Distance(g.fm, r.toe) AS straight_m
        FROM r
        JOIN facility f ON f.geom && ST_Expand(ST_Transform(r.reach, 4490), 0.05)
        CROSS JOIN LATERAL (SELECT ST_Transform(f.geom, r.srid) AS fm) g
        WHERE ST_DWithin(g.fm, r.reach, @corridor)
        ORDER BY r.id, along_m
        """;

    private const string Activity = """
        WITH w AS (
            SELECT mp.pond_id, mp.code, mp.item, r.value, r.measured_at,
                   row_number() OVER (PARTITION BY r.point_id ORDER BY r.measured_at) AS first_rank,
                   row_number() OVER (PARTITION BY r.point_id ORDER BY r.measured_at DESC) AS last_rank
            FROM monitoring_reading r JOIN monitoring_point mp ON mp.id = r.point_id
            WHERE mp.pond_id = ANY(@ids) AND mp.item IN ('water_level', 'dry_beach_length')
              AND r.measured_at > @from AND r.measured_at <= @now)
        SELECT pond_id, code, item,
               max(value) FILTER (WHERE first_rank = 1), max(measured_at) FILTER (WHERE first_rank = 1),
               max(value) FILTER (WHERE last_rank = 1), max(measured_at) FILTER (WHERE last_rank = 1)
        FROM w GROUP BY pond_id, code, item ORDER BY pond_id, code
        """;

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>The reviewer's list at <paramref name="nowUtc"/>: every pond (of <paramref name="town"/>, by name or
    /// code, when given), 头顶库 first, then by class (一 first) and code.</summary>
    public async Task<IReadOnlyList<PondRecord>> ReviewAsync(DateTime nowUtc, string? town = null, string? code = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var records = await LoadAsync(connection, null, nowUtc, town, code, withPeople: true, ct);
        return records
            .OrderBy(r => r.Facts.Head.Status switch { "yes" => 0, "unknown" => 1, _ => 2 })
            .ThenBy(r => r.Class.Value ?? 9)
            .ThenBy(r => r.Facts.Code, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The rules job: evaluates every pond at <paramref name="nowUtc"/> and brings the alarms in line, in one transaction.</summary>
    public async Task<TailingsRulesResult> RunAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        await _oneRun.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var records = await LoadAsync(connection, transaction, nowUtc, null, null, withPeople: false, ct);
            int raised = 0, escalated = 0, ended = 0;
            var running = await RunningAsync(connection, transaction, ct);
            var holding = new HashSet<(string Kind, long Pond)>();
            var findings = new List<(string, TailingsFinding)>();
            foreach (var record in records)
            {
                foreach (var f in record.Findings)
                {
                    findings.Add((record.Facts.Code, f));
                    holding.Add((f.Kind, record.Facts.Id));
                    if (TailingsRules.PeriodicKinds.Contains(f.Kind) && running.TryGetValue((f.Kind, record.Facts.Id), out var started) && started < f.Since)
                    {
                        // Last period's obligation was never met: its episode ends where the new period's begins.
                        await alarms.EndEpisodeAsync(f.Kind, "tailings_pond", record.Facts.Id, null, f.Since, connection, transaction, ct);
                        ended++;
                    }

                    var (id, isNew) = await alarms.RaiseOrExtendAsync(
                        new AlarmCondition(f.Kind, f.Severity, "tailings_pond", record.Facts.Id, null, f.Title, f.Since, nowUtc, f.Evidence.DeepClone().AsObject()),
                        connection, transaction, ct);
                    if (isNew)
                    {
                        raised++;
                    }
                    else if (await alarms.EscalateAsync(id, f.Severity, f.Evidence, f.Title, connection, transaction, ct))
                    {
                        escalated++;
                    }
                }
            }

            foreach (var (kind, pond) in running.Keys.Where(r => !holding.Contains(r)))
            {
                if (await alarms.EndEpisodeAsync(kind, "tailings_pond", pond, null, nowUtc, connection, transaction, ct))
                {
                    ended++;
                }
            }

            await transaction.CommitAsync(ct);
            return new TailingsRulesResult(records.Count, findings, raised, escalated, ended);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    /// <summary>Running episodes of the rules' kinds: (kind, pond) → first evidence.</summary>
    private static async Task<Dictionary<(string Kind, long Pond), DateTime>> RunningAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var running = new Dictionary<(string Kind, long Pond), DateTime>();
        await using var command = new NpgsqlCommand(
            "SELECT kind, object_id, started_at FROM alarm WHERE object_kind = 'tailings_pond' AND kind = ANY(@kinds) AND ended_at IS NULL",
            connection, transaction);
        command.Parameters.AddWithValue("kinds", TailingsRules.Kinds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            running[(reader.GetString(0), reader.GetInt64(1))] = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
        }

        return running;
    }

    private async Task<List<PondRecord>> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, DateTime nowUtc, string? town, string? code, bool withPeople, CancellationToken ct)
    {
        var settings = options.Value;
        var today = ChinaTime.Day(nowUtc);
        var rows = new List<PondRow>();
        await using (var command = new NpgsqlCommand(Ponds, connection, transaction))
        {
            command.Parameters.AddWithValue("now", nowUtc);
            command.Parameters.Add(new NpgsqlParameter("town", NpgsqlDbType.Text) { Value = (object?)town ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = (object?)code ?? DBNull.Value });
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                rows.Add(new PondRow(
                    r.GetInt64(0), r.GetString(1), r.GetString(2), Nullable<string>(r, 3), r.GetString(4), NullableDay(r, 5), NullableDouble(r, 6),
                    Nullable<string>(r, 7), NullableDouble(r, 8), NullableDouble(r, 9), Nullable<string>(r, 10), NullableDay(r, 11),
                    NullableDay(r, 12), Nullable<string>(r, 13), r.GetBoolean(14),
                    r.IsDBNull(15) ? null : new ClassOverride(r.GetInt16(15), r.GetString(16), r.GetString(17),
                        DateTime.SpecifyKind(r.GetDateTime(18), DateTimeKind.Utc))));
            }
        }

        var ids = rows.Select(p => p.Id).ToArray();
        var surveys = await GroupAsync(connection, transaction,
            "SELECT pond_id, surveyed_on, crest_m, source FROM tailings_crest_survey WHERE pond_id = ANY(@ids) AND surveyed_on <= @today ORDER BY pond_id, surveyed_on",
            ids, nowUtc, today, r => new CrestSurvey(r.GetFieldValue<DateOnly>(1), r.GetDouble(2), Nullable<string>(r, 3)), ct);
        var approvals = await GroupAsync(connection, transaction,
            "SELECT pond_id, kind, approved_on, crest_m, document FROM tailings_approval WHERE pond_id = ANY(@ids) AND approved_on <= @today ORDER BY pond_id, approved_on, id",
            ids, nowUtc, today, r => new Approval(r.GetString(1), r.GetFieldValue<DateOnly>(2), NullableDouble(r, 3), r.GetString(4)), ct);
        var inspections = await GroupAsync(connection, transaction,
            "SELECT pond_id, kind, max(done_on) FROM tailings_inspection WHERE pond_id = ANY(@ids) AND done_on <= @today GROUP BY pond_id, kind",
            ids, nowUtc, today, r => (Kind: r.GetString(1), Day: r.GetFieldValue<DateOnly>(2)), ct);
        var downstream = await GroupAsync(connection, transaction, Downstream, ids, nowUtc, today,
            r => new DownstreamFacility(r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt32(4),
                Math.Round(r.GetDouble(5), 1), Math.Round(r.GetDouble(6), 1), Math.Round(r.GetDouble(7), 1)), ct,
            c =>
            {
                c.Parameters.AddWithValue("reach", settings.DownstreamReachM);
                c.Parameters.AddWithValue("corridor", settings.CorridorHalfWidthM);
            });
        var activity = await ActivityAsync(connection, transaction, ids, nowUtc, settings, ct);
        var persons = withPeople
            ? await GroupAsync(connection, transaction, """
                SELECT a.object_id, a.role, p.name, p.phone FROM assignment a JOIN person p ON p.id = a.person_id
                WHERE a.object_kind = 'tailings_pond' AND a.object_id = ANY(@ids) AND a.role = ANY(@roles)
                  AND a.valid_from <= @now AND (a.valid_to IS NULL OR a.valid_to > @now)
                ORDER BY a.object_id, array_position(@roles, a.role)
                """, ids, nowUtc, today, r => new PondPerson(r.GetString(1), r.GetString(2), Nullable<string>(r, 3)), ct,
                c => c.Parameters.AddWithValue("roles", PondRoles))
            : [];
        var open = withPeople
            ? await GroupAsync(connection, transaction, """
                SELECT object_id, id, kind, severity, state, title, started_at FROM alarm
                WHERE object_kind = 'tailings_pond' AND object_id = ANY(@ids) AND state <> 'closed'
                ORDER BY object_id, array_position(ARRAY['red', 'orange', 'yellow', 'blue'], severity), started_at
                """, ids, nowUtc, today, r => new OpenAlarm(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                    DateTime.SpecifyKind(r.GetDateTime(6), DateTimeKind.Utc)), ct)
            : [];

        var records = new List<PondRecord>(rows.Count);
        foreach (var p in rows)
        {
            var near = downstream.GetValueOrDefault(p.Id, []);
            var head = !p.HasFlowPath ? HeadPondAssessment.Unknown : new HeadPondAssessment(near.Count > 0 ? "yes" : "no", near);
            var facts = new PondFacts(p.Id, p.Code, p.Name, p.Town, p.Status, p.DisusedSince, p.DesignCrestM,
                surveys.GetValueOrDefault(p.Id, []), approvals.GetValueOrDefault(p.Id, []),
                inspections.GetValueOrDefault(p.Id, []).ToDictionary(i => i.Kind, i => i.Day), head,
                activity.GetValueOrDefault(p.Id, []));
            records.Add(new PondRecord(facts, p.Operator, p.Storage, p.Height, PondClass.Compute(p.Storage, p.Height, p.Override),
                p.Method, p.ClosedOn, p.DeregisteredOn, p.PlanRef, persons.GetValueOrDefault(p.Id, []),
                TailingsRules.Evaluate(facts, nowUtc, settings), open.GetValueOrDefault(p.Id, [])));
        }

        return records;
    }

    private static async Task<Dictionary<long, List<MonitoringActivity>>> ActivityAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long[] ids, DateTime nowUtc, TailingsOptions settings, CancellationToken ct)
    {
        var series = await GroupAsync(connection, transaction, Activity, ids, nowUtc, default,
            r => new MonitoringActivity(r.GetString(1), r.GetString(2),
                (r.GetDouble(3), DateTime.SpecifyKind(r.GetDateTime(4), DateTimeKind.Utc)),
                (r.GetDouble(5), DateTime.SpecifyKind(r.GetDateTime(6), DateTimeKind.Utc))), ct,
            c => c.Parameters.AddWithValue("from", nowUtc - settings.ActivityWindow));
        return series.ToDictionary(
            s => s.Key,
            s => s.Value.Where(a => a.Item == "water_level"
                ? a.To.Value - a.From.Value >= settings.WaterLevelRiseM
                : a.From.Value - a.To.Value >= settings.DryBeachShorteningM).ToList());
    }

    private static async Task<Dictionary<long, List<T>>> GroupAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, long[] ids, DateTime nowUtc, DateOnly today,
        Func<NpgsqlDataReader, T> read, CancellationToken ct, Action<NpgsqlCommand>? parameters = null)
    {
        var groups = new Dictionary<long, List<T>>();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("now", nowUtc);
        command.Parameters.AddWithValue("today", today);
        parameters?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetInt64(0);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(read(reader));
        }

        return groups;
    }

    private static T? Nullable<T>(NpgsqlDataReader r, int i)
        where T : class => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);

    private static double? NullableDouble(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static DateOnly? NullableDay(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);

    private sealed record PondRow(
        long Id, string Code, string Name, string? Town, string Status, DateOnly? DisusedSince, double? DesignCrestM, string? Operator,
        double? Storage, double? Height, string? Method, DateOnly? ClosedOn, DateOnly? DeregisteredOn, string? PlanRef, bool HasFlowPath,
        ClassOverride? Override);
}
