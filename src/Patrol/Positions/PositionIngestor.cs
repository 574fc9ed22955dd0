using System.Collections.Concurrent;
using GeoMine.Geo.Crs;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Devices;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Positions;

/// <summary>
/// The one way positions enter GeoMine, whatever the feed: resolve devices (unknown keys are kept as
/// unknown-device activity), filter (each refusal counted by reason), correct GCJ-02 devices, and
/// store in one transaction. The caller may report success only after this returns: that is the
/// moment the fixes are committed. An exact re-send (same device and fix time) is stored once.
/// </summary>
public sealed class PositionIngestor(
    NpgsqlDataSource db, DeviceRegistry devices, PositionPartitions partitions,
    IOptions<PositionFilterOptions> options, TimeProvider clock)
{
    private const string CopyPositions = "COPY position (" + PositionCopyRows.Columns + ") FROM STDIN (FORMAT BINARY)";

    /// <summary>From this many fixes on, a request is written with binary COPY.</summary>
    private const int CopyThreshold = 32;

    private readonly ConcurrentDictionary<long, (DateTime Time, double Lon, double Lat)> _lastFix = new();

    /// <summary>Filters and stores <paramref name="fixes"/>; <paramref name="token"/> is checked for
    /// devices that require one.</summary>
    /// <exception cref="NpgsqlException">The database is unreachable: nothing was stored.</exception>
    public Task<IngestResult> IngestAsync(IReadOnlyList<PositionFix> fixes, string? token = null, CancellationToken cancellationToken = default) =>
        IngestAsync(fixes, token, clientAddress: null, cancellationToken);

    /// <summary>As <see cref="IngestAsync(IReadOnlyList{PositionFix}, string?, CancellationToken)"/>, from a network sender at
    /// <paramref name="clientAddress"/>: unseen device ids are registered as <see cref="PositionFilterOptions.UnknownDevices"/>
    /// says, within the hourly allowance per address. When any device of the request requires a token and the request's token
    /// is not its own, nothing of the request is stored: every fix is counted as <see cref="RejectionReason.BadToken"/>.</summary>
    public async Task<IngestResult> IngestAsync(
        IReadOnlyList<PositionFix> fixes, string? token, string? clientAddress, CancellationToken cancellationToken = default)
    {
        var limits = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var policy = clientAddress is null ? UnknownDevicePolicy.Keep
            : new UnknownDevicePolicy(!string.Equals(limits.UnknownDevices, "refuse", StringComparison.OrdinalIgnoreCase), clientAddress,
                limits.MaxNewUnknownDevicesPerAddressPerHour);
        var byKey = await devices.ResolveAsync(fixes.Select(f => f.DeviceKey), policy, cancellationToken);
        var badToken = false;
        foreach (var device in byKey.Values.Where(d => d.HasToken))
        {
            if (!await devices.CheckTokenAsync(device.Key, token, cancellationToken))
            {
                badToken = true; // the request's token is not this device's: none of the request is taken
                break;
            }
        }

        var unique = new List<(Device Device, PositionFix Fix, double Lon, double Lat)>(fixes.Count);
        var acceptedPerDevice = new Dictionary<long, (Device Device, int Count)>();
        var rejected = new List<(RejectionReason Reason, string Key)>();
        var lastInBatch = new Dictionary<long, (DateTime Time, double Lon, double Lat)>();
        foreach (var fix in InTimeOrder(fixes))
        {
            if (!byKey.TryGetValue(fix.DeviceKey, out var device) || badToken)
            {
                // an unregistered key is counted under one name: refused keys must not grow the table one row per made-up id
                rejected.Add(device is null ? (RejectionReason.UnknownDevice, "(unregistered)") : (RejectionReason.BadToken, fix.DeviceKey));
                continue;
            }

            var reason = Judge(fix, device, limits, now);
            var (lon, lat) = (fix.Longitude, fix.Latitude);
            if (reason is null && device.CoordinateSystem == "gcj02")
            {
                (lon, lat) = Gcj02.ToWgs84(lon, lat);
            }

            if (reason is null && (lastInBatch.TryGetValue(device.Id, out var previous) || _lastFix.TryGetValue(device.Id, out previous)))
            {
                var seconds = (fix.FixTimeUtc - previous.Time).TotalSeconds;
                if (seconds >= limits.MinIntervalForSpeedCheck.TotalSeconds
                    && HaversineMetres(previous.Lon, previous.Lat, lon, lat) / seconds > limits.MaxSpeedMetresPerSecond.GetValueOrDefault(device.Kind, double.MaxValue))
                {
                    reason = RejectionReason.ImpossibleSpeed;
                }
            }

            if (reason is not null)
            {
                rejected.Add((reason.Value, fix.DeviceKey));
                continue;
            }

            acceptedPerDevice[device.Id] = (device, acceptedPerDevice.GetValueOrDefault(device.Id).Count + 1);
            // In time order, an accepted fix at the time of the device's last accepted one in this request is a second
            // fix of the same device and time: the first one counts (the rest are counted as duplicates).
            if (!lastInBatch.TryGetValue(device.Id, out var last) || fix.FixTimeUtc > last.Time)
            {
                lastInBatch[device.Id] = (fix.FixTimeUtc, lon, lat);
                unique.Add((device, fix, lon, lat));
            }
        }

        await partitions.EnsureAsync(unique.Select(a => a.Fix.FixTimeUtc), cancellationToken);
        Dictionary<long, int> storedPerDevice;
        if (unique.Count < CopyThreshold)
        {
            // Small requests (a phone's single fix) share commits with the requests arriving meanwhile (group commit).
            storedPerDevice = await WriteGroupedAsync(new PendingWrite(unique, acceptedPerDevice, rejected, now));
        }
        else
        {
            var write = new PendingWrite(unique, acceptedPerDevice, rejected, now);
            try
            {
                // Fast path: binary COPY in a plain transaction. A re-send makes it fail on the primary key,
                // and the whole request is then written like the small ones, through ON CONFLICT DO NOTHING.
                storedPerDevice = await CopyWriteAsync(write, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                storedPerDevice = await WriteGroupedAsync(write);
            }
        }

        foreach (var (id, last) in lastInBatch)
        {
            _lastFix.AddOrUpdate(id, static (_, last) => last, static (_, old, last) => last.Time > old.Time ? last : old, last);
        }

        var summary = new Dictionary<RejectionReason, int>();
        foreach (var (reason, _) in rejected)
        {
            summary[reason] = summary.GetValueOrDefault(reason) + 1;
        }

        return new IngestResult(fixes.Count, storedPerDevice.Values.Sum(), summary);
    }

    /// <summary>A small request waiting for the next shared commit: its accepted rows, its acceptance counts, its refusals
    /// (replaced by refusals + duplicates once written) and its time.</summary>
    private sealed record PendingWrite(
        List<(Device Device, PositionFix Fix, double Lon, double Lat)> Unique, Dictionary<long, (Device Device, int Count)> Accepted,
        List<(RejectionReason Reason, string Key)> Rejected, DateTime Now);

    /// <summary>Requests in one shared commit at most.</summary>
    private const int MaxGroup = 1000;

    /// <summary>Shared commits in flight at once: one being committed while the next gathers.</summary>
    private const int GroupWriters = 2;

    private GroupedCalls<PendingWrite, Dictionary<long, int>>? _groups;

    /// <summary>
    /// Group commit: the request joins whatever small requests are waiting, and all are written in one transaction — one
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> (so a re-send, even of a fix another request of the group also carries,
    /// rolls back nobody's rows) and one count of refusals — and each hears its own stored and duplicate counts only after
    /// that commit. No request waits for company: a writer takes what is queued the moment it is free, so under load the
    /// groups grow by themselves and alone a request is written at once. A failed commit fails every request of the group
    /// (nothing of it was stored; each sender is told to send again).
    /// </summary>
    private Task<Dictionary<long, int>> WriteGroupedAsync(PendingWrite write)
    {
        var groups = LazyInitializer.EnsureInitialized(ref _groups, () => new(WriteGroupAsync, GroupWriters, MaxGroup));
        return groups.CallAsync(write);
    }

    private const string InsertGroup = """
        WITH u AS (SELECT * FROM unnest(@d, @t, @x, @y, @alt, @acc, @spd, @brg, @bat, @src) WITH ORDINALITY AS u(d, t, x, y, alt, acc, spd, brg, bat, src, n)),
             ins AS (INSERT INTO position (device_id, fix_time, geom, altitude_m, accuracy_m, speed_mps, bearing_deg, battery_pct, source)
                     SELECT d, t, ST_SetSRID(ST_MakePoint(x, y), 4490), alt, acc, spd, brg, bat, src FROM u
                     ON CONFLICT (device_id, fix_time) DO NOTHING
                     RETURNING device_id, fix_time)
        SELECT min(u.n) FROM u JOIN ins ON ins.device_id = u.d AND ins.fix_time = u.t GROUP BY u.d, u.t
        """;

    /// <summary>Writes a group in one transaction; returns each request's stored fixes per device, in group order.</summary>
    private async Task<IReadOnlyList<Dictionary<long, int>>> WriteGroupAsync(IReadOnlyList<PendingWrite> group)
    {
        var rows = group.SelectMany((w, i) => w.Unique.Select(u => (Request: i, Row: u))).ToList();
        var stored = new bool[rows.Count];
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (rows.Count > 0)
        {
            await using var insert = new NpgsqlCommand(InsertGroup, connection, transaction);
            insert.Parameters.Add(Array("d", NpgsqlDbType.Bigint, rows.Select(r => r.Row.Device.Id)));
            insert.Parameters.Add(Array("t", NpgsqlDbType.TimestampTz, rows.Select(r => r.Row.Fix.FixTimeUtc)));
            insert.Parameters.Add(Array("x", NpgsqlDbType.Double, rows.Select(r => r.Row.Lon)));
            insert.Parameters.Add(Array("y", NpgsqlDbType.Double, rows.Select(r => r.Row.Lat)));
            insert.Parameters.Add(Array("alt", NpgsqlDbType.Double, rows.Select(r => r.Row.Fix.AltitudeMetres)));
            insert.Parameters.Add(Array("acc", NpgsqlDbType.Double, rows.Select(r => r.Row.Fix.AccuracyMetres)));
            insert.Parameters.Add(Array("spd", NpgsqlDbType.Double, rows.Select(r => r.Row.Fix.SpeedMetresPerSecond)));
            insert.Parameters.Add(Array("brg", NpgsqlDbType.Double, rows.Select(r => r.Row.Fix.BearingDegrees)));
            insert.Parameters.Add(Array("bat", NpgsqlDbType.Double, rows.Select(r => r.Row.Fix.BatteryPercent)));
            insert.Parameters.Add(Array("src", NpgsqlDbType.Text, rows.Select(r => r.Row.Fix.Source)));
            await insert.PrepareAsync(); // once per pooled connection (Npgsql keeps it): parsed and planned once, not per group
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored[reader.GetInt64(0) - 1] = true; // the first of the group to carry a (device, fix time) stored it
            }
        }

        var results = group.Select(_ => new Dictionary<long, int>()).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            if (stored[i])
            {
                var perDevice = results[rows[i].Request];
                perDevice[rows[i].Row.Device.Id] = perDevice.GetValueOrDefault(rows[i].Row.Device.Id) + 1;
            }
        }

        await CountRefusalsAsync(connection, transaction, group.Select((w, i) => (w, results[i])), CancellationToken.None);
        await transaction.CommitAsync();
        return results;
    }

    /// <summary>Counts each request's refusals — its rejections, and whatever it had accepted but did not store: already
    /// there (or first in another request of its group), a re-send — by day, reason and device; the requests' refusal
    /// lists become these.</summary>
    private static async Task CountRefusalsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(PendingWrite Write, Dictionary<long, int> Stored)> requests,
        CancellationToken ct)
    {
        var refusals = new List<(DateOnly Day, RejectionReason Reason, string Key)>();
        foreach (var (write, stored) in requests)
        {
            var refused = new List<(RejectionReason Reason, string Key)>(write.Rejected);
            foreach (var (id, (device, count)) in write.Accepted)
            {
                refused.AddRange(Enumerable.Repeat((RejectionReason.Duplicate, device.Key), count - stored.GetValueOrDefault(id)));
            }

            var day = DateOnly.FromDateTime(write.Now);
            refusals.AddRange(refused.Select(r => (day, r.Reason, r.Key)));
            write.Rejected.Clear();
            write.Rejected.AddRange(refused);
        }

        if (refusals.Count == 0)
        {
            return;
        }

        // In one order for every transaction (day, reason, device): commits counting the same rows concurrently then wait for
        // each other instead of deadlocking (two groups holding one row each and waiting for the other's).
        var counts = refusals.GroupBy(r => r).OrderBy(c => c.Key.Day).ThenBy(c => c.Key.Reason).ThenBy(c => c.Key.Key, StringComparer.Ordinal).ToList();
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO position_rejection (day, reason, device_key, count)
            SELECT day, r, k, n FROM unnest(@days, @reasons, @keys, @counts) AS u(day, r, k, n)
            ON CONFLICT (day, reason, device_key) DO UPDATE SET count = position_rejection.count + EXCLUDED.count
            """, connection, transaction);
        upsert.Parameters.AddWithValue("days", counts.Select(c => c.Key.Day).ToArray());
        upsert.Parameters.AddWithValue("reasons", counts.Select(c => ReasonCode(c.Key.Reason)).ToArray());
        upsert.Parameters.AddWithValue("keys", counts.Select(c => c.Key.Key).ToArray());
        upsert.Parameters.AddWithValue("counts", counts.Select(c => (long)c.Count()).ToArray());
        await upsert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A large request's own transaction: its rows by binary COPY, then its refusals; returns stored fixes per
    /// device. A re-send fails the COPY on the primary key (nothing stored).</summary>
    private async Task<Dictionary<long, int>> CopyWriteAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CopyAsync(connection, write.Unique, cancellationToken);
        var stored = write.Unique.GroupBy(a => a.Device.Id).ToDictionary(g => g.Key, g => g.Count());
        await CountRefusalsAsync(connection, transaction, [(write, stored)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, List<(Device Device, PositionFix Fix, double Lon, double Lat)> rows, CancellationToken ct)
    {
        using var encoded = new PositionCopyRows(rows.Count);
        foreach (var (device, fix, lon, lat) in rows)
        {
            encoded.Add(device.Id, fix.FixTimeUtc, lon, lat, fix.AltitudeMetres, fix.AccuracyMetres,
                fix.SpeedMetresPerSecond, fix.BearingDegrees, fix.BatteryPercent, fix.Source);
        }

        // Disposing the stream ends the COPY; a duplicate key surfaces there as a PostgresException.
        await using var copy = await connection.BeginRawBinaryCopyAsync(CopyPositions, ct);
        await copy.WriteAsync(encoded.Complete(), ct);
    }

    /// <summary><paramref name="fixes"/> by fix time, stable; as given when already in order (the usual case).</summary>
    private static IEnumerable<PositionFix> InTimeOrder(IReadOnlyList<PositionFix> fixes)
    {
        for (var i = 1; i < fixes.Count; i++)
        {
            if (fixes[i].FixTimeUtc < fixes[i - 1].FixTimeUtc)
            {
                return fixes.OrderBy(f => f.FixTimeUtc);
            }
        }

        return fixes;
    }

    /// <summary>The stored code of a reason, e.g. <c>poor_accuracy</c>.</summary>
    public static string ReasonCode(RejectionReason reason) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());

    private static RejectionReason? Judge(
        PositionFix fix, Device device, PositionFilterOptions limits, DateTime now)
    {
        if (!device.Enabled)
        {
            return RejectionReason.DisabledDevice;
        }

        if (!double.IsFinite(fix.Latitude) || !double.IsFinite(fix.Longitude) || Math.Abs(fix.Latitude) > 90 || Math.Abs(fix.Longitude) > 180)
        {
            return RejectionReason.OutOfRange;
        }

        if (fix.Latitude == 0 && fix.Longitude == 0)
        {
            return RejectionReason.ZeroCoordinates;
        }

        if (fix.FixTimeUtc < limits.MinFixTimeUtc)
        {
            return RejectionReason.TooOld;
        }

        if (fix.FixTimeUtc - now > limits.MaxFutureSkew)
        {
            return RejectionReason.FutureTime;
        }

        return fix.AccuracyMetres > limits.MaxAccuracyMetres ? RejectionReason.PoorAccuracy : null;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    /// <summary>Great-circle distance in metres on a sphere of radius 6 371 008.8 m (mean Earth radius);
    /// error below 0.5 % against the ellipsoid, enough for a plausibility limit.</summary>
    private static double HaversineMetres(double lon1, double lat1, double lon2, double lat2)
    {
        const double radius = 6_371_008.8;
        var dLat = double.DegreesToRadians(lat2 - lat1);
        var dLon = double.DegreesToRadians(lon2 - lon1);
        var sinLat = Math.Sin(dLat / 2);
        var sinLon = Math.Sin(dLon / 2);
        var a = sinLat * sinLat + Math.Cos(double.DegreesToRadians(lat1)) * Math.Cos(double.DegreesToRadians(lat2)) * sinLon * sinLon;
        return 2 * radius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
