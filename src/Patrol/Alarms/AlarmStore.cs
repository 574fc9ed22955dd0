using GeoMine.Geo.Import;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Alarms;

/// <summary>
/// The shared alarm table: rules raise and extend episodes of conditions, people move alarms through
/// the loop raised → acknowledged (接报) → verifying (核查, assigned with a deadline) → closed with
/// feedback (核查反馈), reopen allowed with a reason. Every loop step is one conditional UPDATE on the
/// state and version the caller saw plus an audit row, so of two concurrent steps one succeeds and the
/// other gets <see cref="AlarmConflictException"/>, never a lost update.
/// </summary>
public sealed class AlarmStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id, kind, severity, state, object_kind, object_id, device_id, town_id, title, started_at, last_seen_at,
        ended_at, assignee, deadline, outcome, feedback, version, evidence::text
        """;

    /// <summary>SQL for the latest evidence position of the alarm or condition row <paramref name="row"/> (EPSG:4490), or NULL.</summary>
    private static string EvidencePosition(string row) =>
        $"ST_SetSRID(ST_MakePoint(({row}.evidence -> 'positions' -> -1 ->> 'lon')::float8, ({row}.evidence -> 'positions' -> -1 ->> 'lat')::float8), 4490)";

    /// <summary>
    /// SQL for where the alarm (or condition) row <paramref name="row"/> is, EPSG:4490: a point on its object, from every object
    /// layer of the catalog; an object without a place of its own (a phone's SOS: a device) is at its latest evidence
    /// position. What the alarm detail, the town of such an alarm and the OGC API's alarms collection all use.
    /// </summary>
    public static string PlaceOf(string row) =>
        $"coalesce({string.Join(", ", LayerCatalog.Objects.Select(l =>
            $"(SELECT ST_PointOnSurface(o.geom) FROM {l.Object!.Table} o WHERE {row}.object_kind = '{l.Object.Kind}' AND o.id = {row}.object_id)"))}, " +
        $"{EvidencePosition(row)})";

    // The town of each condition's object (u.object_kind, u.object_id), from the layer catalog.
    // An object without a town of its own (a device) is in the town where the condition's latest evidence position lies.
    private static readonly string TownOfObject = $"""
        coalesce({LayerCatalog.TownOfObject("u.object_kind", "u.object_id")},
                 {LayerCatalog.TownAt(EvidencePosition("u"))})
        """;

    private static readonly string Upsert = $"""
        WITH up AS (
            INSERT INTO alarm (kind, severity, object_kind, object_id, device_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT u.kind, u.severity, u.object_kind, u.object_id, u.device_id, {TownOfObject}, u.title, u.started_at, u.last_seen_at, u.evidence
            FROM unnest(@kinds, @severities, @object_kinds, @object_ids, @device_ids, @titles, @started, @last_seen, @evidence)
                 AS u(kind, severity, object_kind, object_id, device_id, title, started_at, last_seen_at, evidence)
            ON CONFLICT (kind, object_kind, object_id, coalesce(device_id, 0)) WHERE ended_at IS NULL
            DO UPDATE SET last_seen_at = greatest(alarm.last_seen_at, EXCLUDED.last_seen_at),
                          -- Position rules append their fixes; other conditions' evidence is a snapshot: the latest keys win.
                          evidence = CASE WHEN EXCLUDED.evidence ? 'positions' THEN alarm.evidence || jsonb_build_object('positions',
                              coalesce(alarm.evidence -> 'positions', '[]'::jsonb) || (EXCLUDED.evidence -> 'positions'))
                              ELSE alarm.evidence || EXCLUDED.evidence END,
                          updated_at = now()
            RETURNING id, (xmax = 0) AS raised, kind, object_kind, object_id, device_id, title
        ), audit AS (
            INSERT INTO alarm_event (alarm_id, actor, from_state, to_state, note) SELECT id, 'system', NULL, 'raised', title FROM up WHERE raised
        )
        SELECT id, raised, kind, object_kind, object_id, device_id FROM up
        """;

    private const string End = """
        UPDATE alarm a SET ended_at = u.ended_at, updated_at = now()
        FROM unnest(@kinds, @object_kinds, @object_ids, @device_ids, @ended) AS u(kind, object_kind, object_id, device_id, ended_at)
        WHERE a.kind = u.kind AND a.object_kind = u.object_kind AND a.object_id = u.object_id
          AND coalesce(a.device_id, 0) = coalesce(u.device_id, 0) AND a.ended_at IS NULL
        """;

    private const string Escalate = """
        WITH esc AS (
            UPDATE alarm a SET severity = u.severity, evidence = a.evidence || u.evidence, updated_at = now()
            FROM unnest(@ids, @severities, @evidence, @notes) AS u(id, severity, evidence, note)
            WHERE a.id = u.id AND a.ended_at IS NULL
              AND array_position(ARRAY['blue', 'yellow', 'orange', 'red'], a.severity) < array_position(ARRAY['blue', 'yellow', 'orange', 'red'], u.severity)
            RETURNING a.id, a.state, u.note
        ), audit AS (
            INSERT INTO alarm_event (alarm_id, actor, from_state, to_state, note) SELECT id, 'system', state, state, nullif(note, '') FROM esc
        )
        SELECT count(*)::int FROM esc
        """;

    /// <summary>Running episodes <paramref name="ids"/> were seen again at <paramref name="nowUtc"/> with nothing new: what
    /// <see cref="RaiseOrExtendAsync(AlarmCondition, NpgsqlConnection, NpgsqlTransaction, CancellationToken)"/> does to a
    /// running episode whose evidence is unchanged, for many at once.</summary>
    public static async Task TouchAsync(long[] ids, DateTime nowUtc, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE alarm SET last_seen_at = greatest(last_seen_at, @now), updated_at = now() WHERE id = ANY(@ids) AND ended_at IS NULL",
            connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("now", nowUtc);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Closes the alarms that <paramref name="selectSql"/> (a query of alarm ids, run in <paramref name="transaction"/>) finds
    /// as data that was never real — demo data being removed: outcome <c>false_alarm</c>, feedback <paramref name="feedback"/>,
    /// their episodes ended; each alarm not yet closed gets one audit row by <paramref name="actor"/> with
    /// <paramref name="note"/>. Nothing is deleted: the audit trail is append-only for every alarm. Returns how many were closed.
    /// </summary>
    public static async Task<int> CloseAsNotRealAsync(
        string selectSql, string actor, string feedback, string note, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            WITH target AS (SELECT id FROM alarm WHERE id IN ({selectSql}) FOR UPDATE),
            closing AS (
                UPDATE alarm a SET state = 'closed', outcome = 'false_alarm', feedback = @feedback, ended_at = coalesce(a.ended_at, now()),
                       version = a.version + 1, updated_at = now()
                FROM (SELECT id, state FROM alarm WHERE id IN (SELECT id FROM target) AND state <> 'closed') before
                WHERE a.id = before.id RETURNING a.id, before.state),
            ended AS (
                UPDATE alarm SET ended_at = now(), updated_at = now()
                WHERE id IN (SELECT id FROM target) AND state = 'closed' AND ended_at IS NULL RETURNING id)
            INSERT INTO alarm_event (alarm_id, actor, from_state, to_state, note)
            SELECT id, @actor, state, 'closed', @note FROM closing
            """, connection, transaction);
        command.Parameters.AddWithValue("feedback", feedback);
        command.Parameters.AddWithValue("actor", actor);
        command.Parameters.AddWithValue("note", note);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records that raised alarm <paramref name="id"/>, still unacknowledged and escalated <paramref name="level"/>
    /// times so far, goes one step up: <paramref name="entry"/> appended to its evidence's <c>ack_escalations</c> and an audit row
    /// with <paramref name="note"/>. False when it was acknowledged meanwhile or another node took this step.</summary>
    public static async Task<bool> RecordAckEscalationAsync(long id, int level, JsonObject entry, string note, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH step AS (
                UPDATE alarm SET evidence = jsonb_set(evidence, '{ack_escalations}',
                                                      coalesce(evidence -> 'ack_escalations', '[]'::jsonb) || @entry),
                                 updated_at = now()
                WHERE id = @id AND state = 'raised'
                  AND jsonb_array_length(coalesce(evidence -> 'ack_escalations', '[]'::jsonb)) = @level
                RETURNING id)
            INSERT INTO alarm_event (alarm_id, actor, from_state, to_state, note)
            SELECT id, 'system', 'raised', 'raised', @note FROM step
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("level", level);
        command.Parameters.Add(new NpgsqlParameter("entry", NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = new System.Text.Json.Nodes.JsonArray(entry).ToJsonString() });
        command.Parameters.AddWithValue("note", note);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Opens an episode of <paramref name="condition"/>, or extends the running one (no duplicates): its
    /// positions are appended to the episode's; evidence without positions is a snapshot whose keys replace the
    /// episode's (keys the condition does not give, e.g. an escalation's, stay). Severity and title stay as raised.
    /// Returns the alarm id and whether it was new.</summary>
    public async Task<(long Id, bool Raised)> RaiseOrExtendAsync(
        AlarmCondition condition, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        (await RaiseOrExtendAsync([condition], connection, transaction, cancellationToken))[0];

    /// <summary><see cref="RaiseOrExtendAsync(AlarmCondition, NpgsqlConnection, NpgsqlTransaction, CancellationToken)"/> for many
    /// conditions in one statement; at most one per episode (kind, object, device). Returns, in the order given, each
    /// condition's alarm id and whether it was new.</summary>
    public async Task<IReadOnlyList<(long Id, bool Raised)>> RaiseOrExtendAsync(
        IReadOnlyList<AlarmCondition> conditions, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var order = new Dictionary<(string, string, long, long), int>(conditions.Count);
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            if (AlarmKinds.Find(c.Kind) is null)
            {
                // One list of kinds (AlarmKinds): the page, the CLI and the reports know only those.
                throw new ArgumentException($"alarm kind '{c.Kind}' is not in AlarmKinds: add it there", nameof(conditions));
            }

            if (!order.TryAdd((c.Kind, c.ObjectKind, c.ObjectId, c.DeviceId ?? 0), i))
            {
                throw new ArgumentException($"two conditions for the same episode: {c.Kind} {c.ObjectKind} {c.ObjectId} device {c.DeviceId}", nameof(conditions));
            }
        }

        var results = new (long, bool)[conditions.Count];
        if (conditions.Count == 0)
        {
            return results;
        }

        await using var command = new NpgsqlCommand(Upsert, connection, transaction);
        command.Parameters.AddWithValue("kinds", conditions.Select(c => c.Kind).ToArray());
        command.Parameters.AddWithValue("severities", conditions.Select(c => c.Severity).ToArray());
        command.Parameters.AddWithValue("object_kinds", conditions.Select(c => c.ObjectKind).ToArray());
        command.Parameters.AddWithValue("object_ids", conditions.Select(c => c.ObjectId).ToArray());
        command.Parameters.Add(new NpgsqlParameter("device_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = conditions.Select(c => c.DeviceId).ToArray() });
        command.Parameters.AddWithValue("titles", conditions.Select(c => c.Title).ToArray());
        command.Parameters.AddWithValue("started", conditions.Select(c => c.StartedAt).ToArray());
        command.Parameters.AddWithValue("last_seen", conditions.Select(c => c.LastSeenAt).ToArray());
        command.Parameters.Add(new NpgsqlParameter("evidence", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = conditions.Select(c => c.Evidence.ToJsonString()).ToArray() });
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            results[order[(r.GetString(2), r.GetString(3), r.GetInt64(4), r.IsDBNull(5) ? 0 : r.GetInt64(5))]] = (r.GetInt64(0), r.GetBoolean(1));
        }

        return results;
    }

    /// <summary>Ends the running episode of a condition at <paramref name="endedAt"/>; false when none was running.</summary>
    public async Task<bool> EndEpisodeAsync(
        string kind, string objectKind, long objectId, long? deviceId, DateTime endedAt,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        await EndEpisodesAsync([new EpisodeEnd(kind, objectKind, objectId, deviceId, endedAt)], connection, transaction, cancellationToken) > 0;

    /// <summary>Ends the running episodes of many conditions in one statement; returns how many were running.</summary>
    public async Task<int> EndEpisodesAsync(
        IReadOnlyList<EpisodeEnd> ends, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (ends.Count == 0)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand(End, connection, transaction);
        command.Parameters.AddWithValue("kinds", ends.Select(e => e.Kind).ToArray());
        command.Parameters.AddWithValue("object_kinds", ends.Select(e => e.ObjectKind).ToArray());
        command.Parameters.AddWithValue("object_ids", ends.Select(e => e.ObjectId).ToArray());
        command.Parameters.Add(new NpgsqlParameter("device_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ends.Select(e => e.DeviceId).ToArray() });
        command.Parameters.AddWithValue("ended", ends.Select(e => e.EndedAt).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Raises the severity of running episode <paramref name="id"/> to <paramref name="severity"/> and merges
    /// <paramref name="evidence"/> into its evidence (e.g. the leader it is escalated to); audited as a same-state event with
    /// <paramref name="note"/>. False when the episode has ended or is already at that severity or higher.</summary>
    public async Task<bool> EscalateAsync(
        long id, string severity, JsonObject evidence, string note, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken) =>
        await EscalateAsync([new Escalation(id, severity, evidence, note)], connection, transaction, cancellationToken) > 0;

    /// <summary><see cref="EscalateAsync(long, string, JsonObject, string, NpgsqlConnection, NpgsqlTransaction, CancellationToken)"/>
    /// for many episodes (distinct ids) in one statement; returns how many were escalated.</summary>
    public async Task<int> EscalateAsync(
        IReadOnlyList<Escalation> escalations, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (escalations.Count == 0)
        {
            return 0;
        }

        if (escalations.Select(e => e.Id).Distinct().Count() != escalations.Count)
        {
            throw new ArgumentException("an episode escalated twice in one call", nameof(escalations));
        }

        await using var command = new NpgsqlCommand(Escalate, connection, transaction);
        command.Parameters.AddWithValue("ids", escalations.Select(e => e.Id).ToArray());
        command.Parameters.AddWithValue("severities", escalations.Select(e => e.Severity).ToArray());
        command.Parameters.Add(new NpgsqlParameter("evidence", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = escalations.Select(e => e.Evidence.ToJsonString()).ToArray() });
        command.Parameters.AddWithValue("notes", escalations.Select(e => e.Note ?? string.Empty).ToArray());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Alarms, newest first; optionally of one kind and/or state, and only of the towns whose
    /// jurisdiction codes are in <paramref name="townCodes"/> (null: every alarm, with or without a town).
    /// At most <paramref name="limit"/> rows after skipping <paramref name="offset"/>.</summary>
    public async Task<IReadOnlyList<Alarm>> ListAsync(
        string? kind = null, string? state = null, IReadOnlyCollection<string>? townCodes = null, int limit = int.MaxValue, int offset = 0,
        CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"""
            SELECT {Columns} FROM alarm
            WHERE (@kind::text IS NULL OR kind = @kind) AND (@state::text IS NULL OR state = @state) AND {InTowns}
            ORDER BY raised_at DESC, id DESC
            LIMIT @limit OFFSET @offset
            """);
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = (object?)kind ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Text) { Value = (object?)state ?? DBNull.Value });
        AddTowns(command, townCodes);
        command.Parameters.AddWithValue("limit", (long)limit);
        command.Parameters.AddWithValue("offset", (long)offset);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var alarms = new List<Alarm>();
        while (await reader.ReadAsync(cancellationToken))
        {
            alarms.Add(Read(reader));
        }

        return alarms;
    }

    /// <summary>One alarm, or null when there is none with <paramref name="id"/> in <paramref name="townCodes"/>
    /// (null: any town).</summary>
    public async Task<Alarm?> FindAsync(long id, IReadOnlyCollection<string>? townCodes = null, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM alarm WHERE id = @id AND {InTowns}");
        command.Parameters.AddWithValue("id", id);
        AddTowns(command, townCodes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The audit trail of alarm <paramref name="id"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AlarmEvent>> EventsAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand(
            "SELECT at, actor, from_state, to_state, note FROM alarm_event WHERE alarm_id = @id ORDER BY at, id");
        command.Parameters.AddWithValue("id", id);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<AlarmEvent>();
        while (await r.ReadAsync(cancellationToken))
        {
            events.Add(new AlarmEvent(r.GetDateTime(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4)));
        }

        return events;
    }

    /// <summary>Where the alarm's object is, to show it on the map: its code and a point on it (CGCS2000 lon/lat degrees;
    /// a point on the surface of an area). Null for objects without geometry (e.g. a device).</summary>
    public async Task<AlarmPlace?> PlaceAsync(Alarm alarm, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand(PlaceOfAlarm);
        command.Parameters.AddWithValue("id", alarm.Id);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? new AlarmPlace(r.GetString(0), r.GetDouble(1), r.GetDouble(2)) : null;
    }

    // The alarm's place (PlaceOf) and the code it is known by: its object's key, else the device of its evidence.
    private static readonly string PlaceOfAlarm = $"""
        SELECT coalesce({string.Join(", ", LayerCatalog.Objects.Select(l =>
                   $"(SELECT o.{l.Object!.KeyColumn} FROM {l.Object.Table} o WHERE a.object_kind = '{l.Object.Kind}' AND o.id = a.object_id)"))},
                        a.evidence ->> 'device', ''), ST_X(p.geom), ST_Y(p.geom)
        FROM alarm a, LATERAL (SELECT {PlaceOf("a")} AS geom) p
        WHERE a.id = @id AND p.geom IS NOT NULL
        """;

    // alarm.town_id → jurisdiction.code; a null list means no town filter at all.
    private const string InTowns = """
        (@towns::text[] IS NULL OR town_id IN (SELECT j.id FROM jurisdiction j WHERE j.code = ANY(@towns)))
        """;

    private static void AddTowns(NpgsqlCommand command, IReadOnlyCollection<string>? townCodes) =>
        command.Parameters.Add(new NpgsqlParameter("towns", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = townCodes is null ? DBNull.Value : townCodes.ToArray(),
        });

    /// <summary>接报: raised → acknowledged.</summary>
    public Task<Alarm> AcknowledgeAsync(long id, int expectedVersion, string actor, CancellationToken ct = default) =>
        StepAsync(id, expectedVersion, actor, ["raised"], "acknowledged", null, "", [], ct);

    /// <summary>核查: acknowledged → verifying, assigned to <paramref name="assignee"/> with a deadline.</summary>
    public Task<Alarm> AssignAsync(long id, int expectedVersion, string actor, string assignee, DateTime deadlineUtc, CancellationToken ct = default) =>
        StepAsync(id, expectedVersion, actor, ["acknowledged", "verifying"], "verifying", $"assigned to {assignee}",
            ", assignee = @assignee, deadline = @deadline",
            [new("assignee", assignee), new("deadline", NpgsqlDbType.TimestampTz) { Value = deadlineUtc }], ct);

    /// <summary>核查反馈: acknowledged or verifying → closed with an outcome (confirmed, false_alarm, handled) and feedback.</summary>
    public Task<Alarm> CloseAsync(long id, int expectedVersion, string actor, string outcome, string feedback, CancellationToken ct = default) =>
        outcome is "confirmed" or "false_alarm" or "handled"
            ? StepAsync(id, expectedVersion, actor, ["acknowledged", "verifying"], "closed", $"{outcome}: {feedback}",
                ", outcome = @outcome, feedback = @feedback", [new("outcome", outcome), new("feedback", feedback)], ct)
            : throw new ArgumentException($"outcome '{outcome}' is not confirmed, false_alarm or handled");

    /// <summary>Reopens a closed alarm; a reason is required.</summary>
    public Task<Alarm> ReopenAsync(long id, int expectedVersion, string actor, string reason, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new ArgumentException("a reason is required to reopen an alarm")
            : StepAsync(id, expectedVersion, actor, ["closed"], "raised", reason, ", outcome = NULL", [], ct);

    private async Task<Alarm> StepAsync(
        long id, int expectedVersion, string actor, string[] from, string to, string? note, string extraSet,
        NpgsqlParameter[] extra, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        string? previous;
        await using (var current = new NpgsqlCommand("SELECT state FROM alarm WHERE id = @id", connection, transaction))
        {
            current.Parameters.AddWithValue("id", id);
            previous = await current.ExecuteScalarAsync(ct) as string ?? throw new KeyNotFoundException($"no alarm {id}");
        }

        Alarm? updated = null;
        await using (var update = new NpgsqlCommand($"""
            UPDATE alarm SET state = @to, version = version + 1, updated_at = now(){extraSet}
            WHERE id = @id AND version = @version AND state = ANY(@from)
            RETURNING {Columns}
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("to", to);
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("version", expectedVersion);
            update.Parameters.AddWithValue("from", from);
            update.Parameters.AddRange(extra);
            await using var reader = await update.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                updated = Read(reader);
            }
        }

        if (updated is null)
        {
            throw new AlarmConflictException(
                $"alarm {id} is {previous} (version may have moved on from {expectedVersion}); cannot go to {to}: reload and retry");
        }

        await AuditAsync(connection, transaction, id, actor, previous, to, note, ct);
        await transaction.CommitAsync(ct);
        return updated;
    }

    private static async Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string actor, string? from, string to, string? note, CancellationToken ct)
    {
        await using var audit = new NpgsqlCommand(
            "INSERT INTO alarm_event (alarm_id, actor, from_state, to_state, note) VALUES (@id, @actor, @from, @to, @note)", connection, transaction);
        audit.Parameters.AddWithValue("id", id);
        audit.Parameters.AddWithValue("actor", actor);
        audit.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Text) { Value = (object?)from ?? DBNull.Value });
        audit.Parameters.AddWithValue("to", to);
        audit.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = string.IsNullOrEmpty(note) ? DBNull.Value : note });
        await audit.ExecuteNonQueryAsync(ct);
    }

    private static Alarm Read(NpgsqlDataReader r)
    {
        long? NullableLong(int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
        DateTime? NullableTime(int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);
        string? NullableText(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new Alarm(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
            NullableLong(6), NullableLong(7), r.GetString(8), r.GetDateTime(9), r.GetDateTime(10), NullableTime(11),
            NullableText(12), NullableTime(13), NullableText(14), NullableText(15), r.GetInt32(16),
            JsonNode.Parse(r.GetString(17))!.AsObject());
    }
}
