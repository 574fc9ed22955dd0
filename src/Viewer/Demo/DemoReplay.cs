using System.Globalization;
using System.Net.Http.Json;
using GeoMine.Patrol.Positions;
using GeoMine.Viewer.Hosting.Database;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Demo;

/// <summary>The demo's replay (configuration section <c>Demo</c>).</summary>
public sealed class DemoOptions
{
    /// <summary>Whether a node replays the demo's tracks while the demo is loaded. Default true.</summary>
    public bool Replay { get; set; } = true;

    /// <summary>How often it looks for fixes that have become due (and whether the demo is loaded). Default 10 s.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Replays the demo's recorded tracks (<c>data/demo/*.gpx</c>, read as any GPX a phone sends) through this server's own
/// position feed over HTTP, as the devices would: the recorded history once (<see cref="DemoCounty.History"/>: the patrols
/// of the last ten days, as batches to <c>POST /api/positions</c>), then the devices with a live track — every
/// fix when its time comes, as a Traccar Client request to <c>/api/osmand</c> — the excavator's and the truck's tracks
/// begun 20 and 25 minutes before, so that the 越界 and the 死灰复燃 their fixes show are found at once by the same rules as
/// any device's; each track starts again 10 minutes after it ends. One node replays (a PostgreSQL advisory lock).
/// </summary>
internal sealed class DemoReplay(
    NpgsqlDataSource db, IServer server, IHostApplicationLifetime lifetime, IOptions<DemoOptions> options, TimeProvider clock,
    ILogger<DemoReplay> log) : BackgroundService
{
    private static readonly TimeSpan Pause = TimeSpan.FromMinutes(10);
    private const long LockKey = 0x47656f4d696e65; // "GeoMine"

    // How long before the replay starts each device's live track began (history the feed gets at once).
    private static readonly Dictionary<string, TimeSpan> Lead = new()
    {
        ["demo-phone-1"] = TimeSpan.Zero, ["demo-excavator-1"] = TimeSpan.FromMinutes(20), ["demo-truck-1"] = TimeSpan.FromMinutes(25),
    };

    private sealed class Track(string device, IReadOnlyList<PositionFix> fixes)
    {
        public string Device { get; } = device;
        public IReadOnlyList<PositionFix> Fixes { get; } = fixes;
        public TimeSpan Length => Fixes[^1].FixTimeUtc - Fixes[0].FixTimeUtc;
        public DateTime Anchor { get; set; } // when the first fix is replayed
        public int Next { get; set; }        // the first fix not sent yet
        public DateTime At(int i) => Anchor + (Fixes[i].FixTimeUtc - Fixes[0].FixTimeUtc);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Replay)
        {
            return;
        }

        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        if (OwnAddress() is not { } own)
        {
            log.LogInformation("demo replay: this server has no http:// address (an in-memory test host); nothing is replayed");
            return;
        }

        using var http = new HttpClient { BaseAddress = new Uri(own), Timeout = TimeSpan.FromSeconds(30) };
        NpgsqlConnection? lockHolder = null;
        List<Track>? live = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await DemoCounty.LoadedAtAsync(db, stoppingToken) is null)
                    {
                        live = null; // removed: start afresh if loaded again
                    }
                    else if ((lockHolder ??= await TryLockAsync(stoppingToken)) is not null)
                    {
                        var now = clock.GetUtcNow().UtcDateTime;
                        await SendHistoryOnceAsync(http, now, stoppingToken);
                        live ??= await LiveTracksAsync(now, stoppingToken);
                        foreach (var track in live)
                        {
                            await SendDueAsync(http, track, now, stoppingToken);
                        }
                    }
                }
                catch (Exception e) when (e is NpgsqlException or HttpRequestException or IOException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning("demo replay: {Reason}; trying again", e.Message);
                    if (lockHolder is not null)
                    {
                        await lockHolder.DisposeAsync();
                        lockHolder = null;
                    }
                }

                await Task.Delay(options.Value.Tick, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (lockHolder is not null)
            {
                await lockHolder.DisposeAsync();
            }
        }
    }

    /// <summary>This server's first HTTP address, as a client on this machine reaches it; null without one.</summary>
    private string? OwnAddress()
    {
        var address = server.Features?.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
        if (address is null)
        {
            return null;
        }

        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri.ToString();
    }

    private async Task<NpgsqlConnection?> TryLockAsync(CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection);
        command.Parameters.AddWithValue("k", LockKey);
        if (await command.ExecuteScalarAsync(ct) is true)
        {
            return connection;
        }

        await connection.DisposeAsync();
        return null;
    }

    private static Task<IReadOnlyList<PositionFix>> ReadAsync(string file, string device, CancellationToken ct) =>
        TrackFile.ReadAsync(Path.Combine(GeoMineHome.Root, "data", "demo", file), device, cancellationToken: ct);

    /// <summary>The two recorded patrol days, once per demo load (whichever node claims it).</summary>
    private async Task SendHistoryOnceAsync(HttpClient http, DateTime now, CancellationToken ct)
    {
        await using var claim = db.CreateCommand("UPDATE demo_load SET history_sent_at = now() WHERE history_sent_at IS NULL RETURNING 1");
        if (await claim.ExecuteScalarAsync(ct) is null)
        {
            return;
        }

        var today9 = Geo.ChinaTime.StartOf(Geo.ChinaTime.Day(now)).AddHours(9); // 09:00 China time today
        foreach (var (file, device, daysAgo) in DemoCounty.History)
        {
            var fixes = await ReadAsync(file, device, ct);
            var shift = today9.AddDays(-daysAgo) - fixes[0].FixTimeUtc;
            await PostBatchAsync(http, [.. fixes.Select(f => f with { FixTimeUtc = f.FixTimeUtc + shift })], ct);
        }

        log.LogInformation("demo replay: sent {Count} recorded patrols of the last 10 days through the feed", DemoCounty.History.Count);
    }

    private async Task<List<Track>> LiveTracksAsync(DateTime now, CancellationToken ct)
    {
        var tracks = new List<Track>();
        foreach (var (key, _, _, _, file) in DemoCounty.Devices.Where(d => d.Track is not null))
        {
            tracks.Add(new Track(key, await ReadAsync(file!, key, ct)) { Anchor = now - Lead[key] });
        }

        return tracks;
    }

    /// <summary>The fixes of <paramref name="track"/> whose time has come: several at once as a batch, one as a Traccar
    /// Client request; after the last, the track starts again once <see cref="Pause"/> has passed.</summary>
    private static async Task SendDueAsync(HttpClient http, Track track, DateTime now, CancellationToken ct)
    {
        if (track.Next >= track.Fixes.Count)
        {
            if (now < track.At(track.Fixes.Count - 1) + Pause)
            {
                return;
            }

            (track.Anchor, track.Next) = (now, 0);
        }

        var due = new List<PositionFix>();
        for (; track.Next < track.Fixes.Count && track.At(track.Next) <= now; track.Next++)
        {
            due.Add(track.Fixes[track.Next] with { FixTimeUtc = track.At(track.Next) });
        }

        if (due.Count > 1)
        {
            await PostBatchAsync(http, due, ct);
        }
        else if (due.Count == 1)
        {
            var f = due[0];
            var query = string.Create(CultureInfo.InvariantCulture,
                $"/api/osmand?id={Uri.EscapeDataString(f.DeviceKey)}&timestamp={new DateTimeOffset(f.FixTimeUtc).ToUnixTimeSeconds()}&lat={f.Latitude}&lon={f.Longitude}&altitude={f.AltitudeMetres}&accuracy=8");
            (await http.GetAsync(query, ct)).EnsureSuccessStatusCode();
        }
    }

    private static async Task PostBatchAsync(HttpClient http, IReadOnlyList<PositionFix> fixes, CancellationToken ct)
    {
        var body = fixes.Select(f => new Dictionary<string, object?>
        {
            ["device_id"] = f.DeviceKey, ["time"] = f.FixTimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["lon"] = f.Longitude, ["lat"] = f.Latitude, ["altitude_m"] = f.AltitudeMetres, ["accuracy_m"] = 8.0,
        });
        (await http.PostAsJsonAsync("/api/positions", body, ct)).EnsureSuccessStatusCode();
    }
}
