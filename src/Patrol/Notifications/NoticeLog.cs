using Npgsql;

namespace GeoMine.Patrol.Notifications;

/// <summary>Who was told of an alarm, and how it went: each delivery with its channel, event, attempts and outcome.</summary>
public static class NoticeLog
{
    /// <summary>The deliveries of <paramref name="alarmId"/>'s notices, oldest first.</summary>
    public static async Task<IReadOnlyList<NoticeDelivery>> ForAlarmAsync(NpgsqlDataSource db, long alarmId, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand("""
            SELECT d.channel, n.event, n.severity, n.created_at, d.attempts, d.delivered_at, d.failed_at, d.next_attempt_at, d.last_error
            FROM alarm_notice n JOIN notice_delivery d ON d.notice_id = n.id WHERE n.alarm_id = $1 ORDER BY n.id, d.channel
            """);
        command.Parameters.Add(new() { Value = alarmId });
        var list = new List<NoticeDelivery>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            DateTime? At(int i) => r.IsDBNull(i) ? null : DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc);
            list.Add(new NoticeDelivery(r.GetString(0), r.GetString(1), r.GetString(2), At(3)!.Value, r.GetInt32(4), At(5), At(6), At(7)!.Value,
                r.IsDBNull(8) ? null : r.GetString(8)));
        }

        return list;
    }
}

/// <summary>One delivery of a notice.</summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="Event">raised, severity_raised or ack_escalated.</param>
/// <param name="Severity">The alarm's severity at the event.</param>
/// <param name="NoticedAtUtc">When the event was written.</param>
/// <param name="Attempts">Sends tried.</param>
/// <param name="DeliveredAtUtc">When the peer took it, or null.</param>
/// <param name="FailedAtUtc">When it was given up, or null.</param>
/// <param name="NextAttemptAtUtc">When it is (or was) due.</param>
/// <param name="LastError">What the peer or the network said last time, or null.</param>
public sealed record NoticeDelivery(
    string Channel, string Event, string Severity, DateTime NoticedAtUtc, int Attempts, DateTime? DeliveredAtUtc, DateTime? FailedAtUtc,
    DateTime NextAttemptAtUtc, string? LastError)
{
    /// <summary>delivered, failed or pending.</summary>
    public string State => DeliveredAtUtc is not null ? "delivered" : FailedAtUtc is not null ? "failed" : "pending";
}
