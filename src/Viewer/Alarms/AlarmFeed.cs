using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using GeoMine.Viewer.Hosting;
using Npgsql;

namespace GeoMine.Viewer.Alarms;

/// <summary>
/// The alarm changes this node hears: one PostgreSQL connection per node listens on <c>geomine_alarm</c> (announced at
/// commit by the <c>alarm_changed</c> trigger, whichever node or job wrote the alarm) and hands each change to every open
/// stream (<c>GET /api/alarms/stream</c>). A stream that cannot keep up loses its oldest changes, never the node; the page
/// reloads the list on any change, so a lost change costs nothing but a reload it would have done anyway. After the
/// listening connection drops, every stream is told to reload (<see cref="AlarmChange.Resync"/>): what was committed
/// meanwhile was not heard.
/// </summary>
internal sealed class AlarmFeed(NpgsqlDataSource db, ILogger<AlarmFeed> log) : BackgroundService
{
    private readonly ConcurrentDictionary<Channel<AlarmChange>, byte> _subscribers = new();

    /// <summary>The changes heard from now on; dispose the subscription to stop them.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<AlarmChange>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers[channel] = 0;
        return new Subscription(channel.Reader, () => _subscribers.TryRemove(channel, out _));
    }

    /// <summary>One open stream's changes (<see cref="Reader"/>) until disposed.</summary>
    internal sealed class Subscription(ChannelReader<AlarmChange> reader, Action stop) : IDisposable
    {
        public ChannelReader<AlarmChange> Reader { get; } = reader;

        public void Dispose() => stop();
    }

    private void Publish(AlarmChange change)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Writer.TryWrite(change);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        return PostgresListener.ListenAsync(db, "geomine_alarm", payload =>
        {
            try
            {
                if (JsonSerializer.Deserialize<AlarmChange>(payload, JsonSerializerOptions.Web) is { } change)
                {
                    Publish(change);
                }
            }
            catch (JsonException)
            {
                log.LogWarning("alarm feed: a notification that is not an alarm change was ignored");
            }
        }, () =>
        {
            if (!first)
            {
                Publish(AlarmChange.Resync); // listening again after a drop: changes may have been missed
            }

            first = false;
        }, log, stoppingToken);
    }
}

/// <summary>An alarm raised or changed, as the trigger announces it (and as the stream sends it).</summary>
/// <param name="Id">The alarm (0 for a resync).</param>
/// <param name="TownId">Its town (jurisdiction id), or null.</param>
/// <param name="Kind">Alarm kind code.</param>
/// <param name="Severity">blue, yellow, orange or red.</param>
/// <param name="State">raised, acknowledged, verifying or closed.</param>
/// <param name="Change">raised (new), changed (state, severity or end), or resync (reload everything: changes may have been missed).</param>
internal sealed record AlarmChange(
    [property: System.Text.Json.Serialization.JsonPropertyName("id")] long Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("town_id")] long? TownId,
    [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string Kind,
    [property: System.Text.Json.Serialization.JsonPropertyName("severity")] string Severity,
    [property: System.Text.Json.Serialization.JsonPropertyName("state")] string State,
    [property: System.Text.Json.Serialization.JsonPropertyName("change")] string Change)
{
    /// <summary>Reload everything: the node may have missed changes.</summary>
    public static AlarmChange Resync { get; } = new(0, null, "", "", "", "resync");

    /// <summary>Nothing happened (keeps the stream open).</summary>
    public static AlarmChange Ping { get; } = new(0, null, "", "", "", "ping");
}
