using System.Globalization;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Notifications;

/// <summary>
/// Delivers alarm notices (written by the <c>alarm_notice</c> trigger with every alarm change): routes each new notice to
/// the channels whose filters it passes (one <c>notice_delivery</c> per channel, due at once, or after the quiet hours for
/// what they hold back — never red), then sends what is due. Any number of nodes run this side by side: a notice is routed
/// and a delivery sent by whichever node locks it first (<c>FOR UPDATE SKIP LOCKED</c>), the lock held while sending, so
/// each delivery is sent once. A failed send is retried with a doubling wait up to <see cref="NotificationOptions.MaxAttempts"/>;
/// every attempt is recorded (<c>notice_attempt</c>) and shown with the alarm. A node stopped between the alarm and the
/// send leaves the notice in the table: the next run of any node sends it.
/// </summary>
public sealed class NotificationDispatcher(
    NpgsqlDataSource db, IOptions<NotificationOptions> options, ChannelSender sender, ILogger<NotificationDispatcher>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<NotificationDispatcher>.Instance;

    /// <summary>This node's name in attempt rows.</summary>
    public string Node { get; init; } = Environment.MachineName + ":" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private const string Unrouted = """
        SELECT n.id, n.event, n.severity, a.kind, t.code, n.created_at < @stale
        FROM alarm_notice n JOIN alarm a ON a.id = n.alarm_id LEFT JOIN jurisdiction t ON t.id = a.town_id
        WHERE n.routed_at IS NULL ORDER BY n.id LIMIT 500 FOR UPDATE OF n SKIP LOCKED
        """;

    private const string Due = """
        SELECT d.id, d.channel, d.attempts, d.notice_id
        FROM notice_delivery d JOIN alarm_notice n ON n.id = d.notice_id
        WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= @now AND d.id <> ALL(@done)
        ORDER BY n.severity = 'red' DESC, d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED
        """;

    // The message of a notice: the alarm, where it is (a point on its object, else its latest evidence position), who answers
    // for it now (the object's responsible person — a pond's government leader —, a phone's owner) and the town's lead leader.
    private static readonly string Message = $"""
        SELECT n.id, n.event, n.severity, a.id, a.kind, a.title, t.name, ST_X(p.g), ST_Y(p.g), a.started_at,
               coalesce(rp.name, dv.name), coalesce(rp.phone, dv.phone), ll.name, ll.phone, esc.who, esc.phone, duty.name, duty.phone
        FROM alarm_notice n JOIN alarm a ON a.id = n.alarm_id LEFT JOIN jurisdiction t ON t.id = a.town_id
        CROSS JOIN LATERAL (SELECT {AlarmStore.PlaceOf("a")} AS g) p
        LEFT JOIN LATERAL (
            SELECT pe.name, pe.phone FROM assignment s JOIN person pe ON pe.id = s.person_id
            WHERE s.object_kind = a.object_kind AND s.object_id = a.object_id AND s.role IN ('responsible_person', 'government_leader')
              AND s.valid_from <= @now AND (s.valid_to IS NULL OR s.valid_to > @now)
            ORDER BY s.role = 'responsible_person' DESC, s.valid_from DESC LIMIT 1) rp ON true
        LEFT JOIN LATERAL (
            SELECT coalesce(pe.name, d.owner_name) AS name, pe.phone FROM device d LEFT JOIN person pe ON pe.id = d.owner_person_id
            WHERE a.object_kind = 'device' AND d.id = a.object_id) dv ON true
        LEFT JOIN LATERAL (
            SELECT pe.name, pe.phone FROM assignment s JOIN person pe ON pe.id = s.person_id
            WHERE s.object_kind = 'town' AND s.object_id = a.town_id AND s.role = 'lead_leader'
              AND s.valid_from <= @now AND (s.valid_to IS NULL OR s.valid_to > @now) ORDER BY s.valid_from DESC LIMIT 1) ll ON true
        LEFT JOIN LATERAL (
            SELECT concat_ws(' ', e ->> 'jurisdiction_name', e ->> 'person') AS who, e ->> 'phone' AS phone
            FROM jsonb_array_elements(coalesce(a.evidence -> 'ack_escalations', '[]'::jsonb)) e ORDER BY (e ->> 'level')::int DESC LIMIT 1) esc ON true
        LEFT JOIN LATERAL ({DutyRoster.OnDuty("a.town_id")}) duty ON true
        WHERE n.id = @notice
        """;

    /// <summary>Routes new notices, then sends every delivery due at <paramref name="nowUtc"/> once (a failed one waits for
    /// its next attempt). Returns how many notices were routed, and deliveries sent and failed.</summary>
    public async Task<DispatchResult> RunOnceAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        var routed = await RouteAsync(nowUtc, ct);
        var (sent, failed) = await SendDueAsync(nowUtc, ct);
        return new DispatchResult(routed, sent, failed);
    }

    /// <summary>Creates the deliveries of every notice not routed yet, for the channels configured now.</summary>
    public async Task<int> RouteAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var notices = new List<(long Id, string Event, string Severity, string Kind, string? Town, bool Stale)>();
        await using (var command = new NpgsqlCommand(Unrouted, connection, tx))
        {
            command.Parameters.AddWithValue("stale", nowUtc - settings.MaxNoticeAge);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                notices.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetBoolean(5)));
            }
        }

        if (notices.Count == 0)
        {
            return 0;
        }

        var batch = new NpgsqlBatch(connection, tx);
        foreach (var notice in notices)
        {
            // A notice older than MaxNoticeAge (written while no channel was configured, or while every node was down for long)
            // is history, not news: it is routed to nobody, and counted in the log.
            foreach (var channel in settings.Channels.Where(c => !notice.Stale && Passes(c, notice.Event, notice.Severity, notice.Kind, notice.Town)))
            {
                var due = notice.Severity != "red" && channel.KeepQuietHours ? QuietEnd(settings, nowUtc) ?? nowUtc : nowUtc;
                batch.BatchCommands.Add(new NpgsqlBatchCommand(
                    "INSERT INTO notice_delivery (notice_id, channel, next_attempt_at) VALUES ($1, $2, $3) ON CONFLICT (notice_id, channel) DO NOTHING")
                {
                    Parameters = { new() { Value = notice.Id }, new() { Value = channel.Name }, new() { Value = due } },
                });
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE alarm_notice SET routed_at = $2 WHERE id = $1")
            {
                Parameters = { new() { Value = notice.Id }, new() { Value = nowUtc } },
            });
        }

        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        if (notices.Count(n => n.Stale) is var stale and > 0)
        {
            _log.LogWarning("notifications: {Count} notices older than {Age} were not sent (written while no channel was configured or every node was down)",
                stale, settings.MaxNoticeAge);
        }

        return notices.Count;
    }

    /// <summary>Whether <paramref name="channel"/> takes a notice of this event, severity, kind and town.</summary>
    public static bool Passes(NotificationChannel channel, string @event, string severity, string kind, string? town) =>
        WarningLevels.Parse(severity) >= WarningLevels.Parse(channel.MinSeverity)
        && (channel.AlarmKinds.Count == 0 || channel.AlarmKinds.Contains(kind, StringComparer.Ordinal))
        && (channel.Towns.Count == 0 || (town is not null && channel.Towns.Contains(town, StringComparer.Ordinal)))
        && (channel.Events.Count == 0 || channel.Events.Contains(@event, StringComparer.Ordinal));

    /// <summary>When the quiet hours holding <paramref name="nowUtc"/> end (UTC), or null outside them.</summary>
    public static DateTime? QuietEnd(NotificationOptions settings, DateTime nowUtc)
    {
        if (settings.QuietFrom is not { } from || settings.QuietTo is not { } to || from == to)
        {
            return null;
        }

        var china = nowUtc + Geo.ChinaTime.Offset;
        var time = TimeOnly.FromDateTime(china);
        var quiet = from < to ? time >= from && time < to : time >= from || time < to; // e.g. 22:00–07:00 spans midnight
        if (!quiet)
        {
            return null;
        }

        var end = DateOnly.FromDateTime(china).ToDateTime(to);
        if (end <= china)
        {
            end = end.AddDays(1);
        }

        return DateTime.SpecifyKind(end - Geo.ChinaTime.Offset, DateTimeKind.Utc);
    }

    /// <summary>Sends each delivery due at <paramref name="nowUtc"/> once.</summary>
    public async Task<(int Sent, int Failed)> SendDueAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        var settings = options.Value;
        var done = new List<long>();
        var (sent, failed) = (0, 0);
        while (!ct.IsCancellationRequested)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            long id, notice;
            string channelName;
            int attempts;
            await using (var command = new NpgsqlCommand(Due, connection, tx))
            {
                command.Parameters.AddWithValue("now", nowUtc);
                command.Parameters.AddWithValue("done", done.ToArray());
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    break;
                }

                (id, channelName, attempts, notice) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
            }

            done.Add(id);
            var channel = settings.Channels.FirstOrDefault(c => c.Name == channelName);
            var (ok, detail) = channel is null
                ? (false, $"channel {channelName} is no longer configured")
                : await SendAsync(connection, tx, channel, notice, id, nowUtc, settings, ct);
            attempts++;
            var giveUp = !ok && (channel is null || attempts >= settings.MaxAttempts);
            var wait = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
            await using (var update = new NpgsqlBatch(connection, tx)
            {
                BatchCommands =
                {
                    new("""
                        UPDATE notice_delivery SET attempts = $2, delivered_at = CASE WHEN $3 THEN $4 END,
                            failed_at = CASE WHEN $5 THEN $4 END, next_attempt_at = $6, last_error = CASE WHEN $3 THEN NULL ELSE $7 END
                        WHERE id = $1
                        """)
                    {
                        Parameters =
                        {
                            new() { Value = id }, new() { Value = attempts }, new() { Value = ok }, new() { Value = nowUtc }, new() { Value = giveUp },
                            new() { Value = nowUtc + wait }, new() { Value = detail },
                        },
                    },
                    new("INSERT INTO notice_attempt (delivery_id, attempted_at, node, ok, detail) VALUES ($1, $2, $3, $4, $5)")
                    {
                        Parameters = { new() { Value = id }, new() { Value = nowUtc }, new() { Value = Node }, new() { Value = ok }, new() { Value = detail } },
                    },
                },
            })
            {
                await update.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            if (ok)
            {
                sent++;
            }
            else
            {
                failed++;
                // The channel's name only: its address holds a robot's key.
                _log.Log(giveUp ? LogLevel.Error : LogLevel.Warning, "notification {Delivery} on {Channel}, attempt {Attempt}{GaveUp}: {Detail}",
                    id, channelName, attempts, giveUp ? " (given up)" : "", detail);
            }
        }

        return (sent, failed);
    }

    private async Task<(bool, string)> SendAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, NotificationChannel channel, long notice, long delivery, DateTime nowUtc,
        NotificationOptions settings, CancellationToken ct)
    {
        AlarmMessage message;
        await using (var command = new NpgsqlCommand(Message, connection, tx))
        {
            command.Parameters.AddWithValue("notice", notice);
            command.Parameters.AddWithValue("now", nowUtc);
            await using var r = await command.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return (false, "the notice's alarm is gone");
            }

            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            string? WithPhone(int name, int phone) => Text(name) is { } who ? who + (Text(phone) is { } p ? " " + p : "") : null;
            var alarm = r.GetInt64(3);
            var escalated = r.GetString(1) == "ack_escalated";
            var phones = new Dictionary<string, string>();
            foreach (var (role, column) in new[] { ("responsible", 11), ("lead_leader", 13), ("escalated_to", escalated ? 15 : -1), ("duty_officer", 17) })
            {
                if (column >= 0 && Text(column) is { Length: > 0 } phone)
                {
                    phones[role] = phone;
                }
            }

            message = new AlarmMessage(
                r.GetInt64(0), r.GetString(1), alarm, r.GetString(4), r.GetString(2), r.GetString(5), Text(6),
                r.IsDBNull(7) ? null : r.GetDouble(7), r.IsDBNull(8) ? null : r.GetDouble(8), DateTime.SpecifyKind(r.GetDateTime(9), DateTimeKind.Utc),
                WithPhone(10, 11), WithPhone(12, 13), escalated ? WithPhone(14, 15) : null,
                settings.PublicUrl is { Length: > 0 } root ? $"{root.TrimEnd('/')}/?alarm={alarm.ToString(CultureInfo.InvariantCulture)}" : null)
            {
                Phones = phones,
                DutyOfficer = WithPhone(16, 17),
            };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.SendTimeout);
        try
        {
            return await sender.SendAsync(channel, message, delivery, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"not sent: no answer within {settings.SendTimeout.TotalSeconds:0} s");
        }
    }
}

/// <summary>What one run did: notices routed, deliveries sent, attempts that failed.</summary>
public sealed record DispatchResult(int Routed, int Sent, int Failed);
