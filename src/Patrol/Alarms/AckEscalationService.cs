using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Alarms;

/// <summary>
/// Escalation of alarms nobody acknowledged (接报): an alarm still <c>raised</c> one acknowledgement time
/// (<see cref="AckEscalationOptions.AckWithin"/>, by severity) after it was raised goes to the lead leader of its town;
/// after each further period, to the lead leader of the next jurisdiction up (county, city…). A jurisdiction without
/// a leader on record is passed over and named in the note. Each step is appended to the alarm's evidence
/// (<c>ack_escalations</c>: level, jurisdiction, person, phone, due) and audited as an <c>alarm_event</c>; the step is
/// conditional on the alarm still being raised, so an acknowledgement racing the job wins.
/// </summary>
public sealed class AckEscalationService(NpgsqlDataSource db, IOptions<AckEscalationOptions> options)
{
    private const string Candidates = """
        SELECT id, severity, raised_at, town_id, jsonb_array_length(coalesce(evidence -> 'ack_escalations', '[]'::jsonb))
        FROM alarm WHERE state = 'raised' AND raised_at <= @now ORDER BY raised_at, id
        """;

    // The town and its ancestors, nearest first, each with the holder of the role at that time (if any).
    private const string Chain = """
        WITH RECURSIVE up AS (
            SELECT id, code, name, level, parent_id, 1 AS depth FROM jurisdiction WHERE id = @town
            UNION ALL
            SELECT j.id, j.code, j.name, j.level, j.parent_id, up.depth + 1 FROM jurisdiction j JOIN up ON j.id = up.parent_id WHERE up.depth < 10)
        SELECT up.code, up.name, up.level, p.name, p.phone
        FROM up
        LEFT JOIN LATERAL (
            SELECT pe.name, pe.phone FROM assignment a JOIN person pe ON pe.id = a.person_id
            WHERE a.object_kind = 'town' AND a.object_id = up.id AND a.role = @role
              AND a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)
            ORDER BY a.valid_from DESC LIMIT 1) p ON true
        ORDER BY up.depth
        """;

    /// <summary>Escalates every alarm whose acknowledgement is overdue at <paramref name="nowUtc"/> by as many steps as
    /// have fallen due; returns the number of steps taken.</summary>
    public async Task<int> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var alarms = new List<(long Id, string Severity, DateTime RaisedAt, long? Town, int Level)>();
        await using (var command = new NpgsqlCommand(Candidates, connection))
        {
            command.Parameters.AddWithValue("now", nowUtc);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                alarms.Add((reader.GetInt64(0), reader.GetString(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt32(4)));
            }
        }

        var steps = 0;
        foreach (var alarm in alarms)
        {
            if (alarm.Town is not { } town || !settings.AckWithin.TryGetValue(alarm.Severity, out var within) || within <= TimeSpan.Zero)
            {
                continue;
            }

            var dueSteps = (int)Math.Min(20, (nowUtc - alarm.RaisedAt).Ticks / within.Ticks);
            if (dueSteps <= alarm.Level)
            {
                continue;
            }

            var chain = await ChainAsync(connection, town, settings.Role, nowUtc, cancellationToken);
            var held = chain.Where(c => c.Person is not null).ToList();
            for (var level = alarm.Level; level < dueSteps && level < held.Count; level++)
            {
                var target = held[level];
                var after = level == 0 ? 0 : chain.IndexOf(held[level - 1]) + 1;
                var skipped = chain.Skip(after).Take(chain.IndexOf(target) - after).Select(c => c.Name).ToList();
                var due = alarm.RaisedAt + (within * (level + 1));
                var entry = new JsonObject
                {
                    ["level"] = level + 1,
                    ["jurisdiction"] = target.Code,
                    ["jurisdiction_name"] = target.Name,
                    ["jurisdiction_level"] = target.Level,
                    ["role"] = settings.Role,
                    ["person"] = target.Person,
                    ["phone"] = target.Phone,
                    ["due"] = due.ToString("O", CultureInfo.InvariantCulture),
                    ["skipped"] = new JsonArray(skipped.Select(s => (JsonNode)s!).ToArray()),
                };
                var note = string.Create(CultureInfo.InvariantCulture,
                    $"not acknowledged within {within.TotalMinutes:0} min × {level + 1}: escalated to {target.Name} {settings.Role} {target.Person}")
                    + (skipped.Count > 0 ? $" (no {settings.Role} on record for {string.Join(", ", skipped)})" : "");
                if (!await AlarmStore.RecordAckEscalationAsync(alarm.Id, level, entry, note, connection, cancellationToken))
                {
                    break; // acknowledged meanwhile, or another node took this step
                }

                steps++;
            }
        }

        return steps;
    }

    private static async Task<List<ChainLink>> ChainAsync(NpgsqlConnection connection, long town, string role, DateTime at, CancellationToken ct)
    {
        var chain = new List<ChainLink>();
        await using var command = new NpgsqlCommand(Chain, connection);
        command.Parameters.AddWithValue("town", town);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("at", at);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            chain.Add(new ChainLink(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return chain;
    }

    private sealed record ChainLink(string Code, string Name, string Level, string? Person, string? Phone);
}
