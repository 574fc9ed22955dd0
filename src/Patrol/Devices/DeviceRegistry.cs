using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GeoMine.Geo.Storage;
using Npgsql;

namespace GeoMine.Patrol.Devices;

/// <summary>
/// Devices: register, list, disable, and resolve the keys that arrive with fixes. A key never seen
/// before is registered on the spot as kind <c>unknown</c>, <c>registered = false</c>, so its fixes are
/// kept as unknown-device activity instead of being dropped. Lookups are cached for
/// <see cref="CacheLifetime"/> (other app nodes' changes show up within that time).
/// </summary>
public sealed class DeviceRegistry(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>How long a cached device is trusted.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private const string Columns =
        "id, device_key, name, kind, owner_name, mining_right_id, coordinate_system, token_sha256 IS NOT NULL, registered, enabled";

    private readonly ConcurrentDictionary<string, (Device Device, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    // New unknown keys registered per client address and hour (this node): one address cannot flood the device table.
    private readonly ConcurrentDictionary<(string Address, long Hour), int> _newKeysPerAddress = new();

    /// <summary>Registers a device (or updates the registration of a key already seen). Returns it.</summary>
    public async Task<Device> AddAsync(
        string key, string kind, string? name = null, string? ownerName = null, string? licenceNo = null,
        string coordinateSystem = "wgs84", string? token = null, CancellationToken cancellationToken = default)
    {
        if (!Device.Kinds.Contains(kind))
        {
            throw new ArgumentException($"kind '{kind}' is not one of {string.Join(", ", Device.Kinds)}");
        }

        if (coordinateSystem is not ("wgs84" or "gcj02"))
        {
            throw new ArgumentException($"coordinate system '{coordinateSystem}' is not wgs84 or gcj02");
        }

        await using var command = db.CreateCommand($"""
            INSERT INTO device (device_key, name, kind, owner_name, mining_right_id, coordinate_system, token_sha256, registered)
            VALUES (@key, @name, @kind, @owner, (SELECT id FROM mining_right WHERE licence_no = @licence), @crs, @token, true)
            ON CONFLICT (device_key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, owner_name = EXCLUDED.owner_name,
                mining_right_id = EXCLUDED.mining_right_id, coordinate_system = EXCLUDED.coordinate_system,
                token_sha256 = EXCLUDED.token_sha256, registered = true
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("name", (object?)name ?? DBNull.Value);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("owner", (object?)ownerName ?? DBNull.Value);
        command.Parameters.AddWithValue("licence", (object?)licenceNo ?? DBNull.Value);
        command.Parameters.AddWithValue("crs", coordinateSystem);
        command.Parameters.AddWithValue("token", token is null ? DBNull.Value : HashToken(token));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var device = Read(reader);
        if (licenceNo is not null && device.MiningRightId is null)
        {
            throw new ArgumentException($"no mining right with licence number {licenceNo}");
        }

        _cache[key] = (device, clock.GetUtcNow());
        return device;
    }

    /// <summary>Disables a device: its fixes are refused from now on. False when the key is unknown.</summary>
    public async Task<bool> DisableAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("UPDATE device SET enabled = false WHERE device_key = @key");
        command.Parameters.AddWithValue("key", key);
        _cache.TryRemove(key, out _);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The device with <paramref name="key"/>, or null; never registers it.</summary>
    public async Task<Device?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM device WHERE device_key = @key");
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The devices with <paramref name="ids"/> (ids no longer present are absent), read now.</summary>
    public async Task<Dictionary<long, Device>> ByIdsAsync(long[] ids, CancellationToken cancellationToken = default)
    {
        var devices = new Dictionary<long, Device>(ids.Length);
        if (ids.Length == 0)
        {
            return devices;
        }

        await using var command = db.CreateCommand($"SELECT {Columns} FROM device WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var device = Read(reader);
            devices[device.Id] = device;
        }

        return devices;
    }

    /// <summary>All devices, registered ones first.</summary>
    public async Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM device ORDER BY registered DESC, device_key");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var devices = new List<Device>();
        while (await reader.ReadAsync(cancellationToken))
        {
            devices.Add(Read(reader));
        }

        return devices;
    }

    /// <summary>The devices for <paramref name="keys"/>, registering unseen keys as unknown devices.</summary>
    public Task<IReadOnlyDictionary<string, Device>> ResolveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default) =>
        ResolveAsync(keys, UnknownDevicePolicy.Keep, cancellationToken);

    /// <summary>
    /// The devices for <paramref name="keys"/>. Keys never seen are registered as unknown devices when
    /// <paramref name="policy"/> allows it (and within its hourly allowance of new keys for the client address);
    /// the others are absent from the result.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Device>> ResolveAsync(
        IEnumerable<string> keys, UnknownDevicePolicy policy, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var result = new Dictionary<string, Device>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (result.ContainsKey(key))
            {
                continue; // a batch names each device many times: one cache lookup each
            }

            if (_cache.TryGetValue(key, out var cached) && now - cached.At < CacheLifetime)
            {
                result[key] = cached.Device;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        // Looked up together with the other requests' unknown keys: after a restart, or when many devices report for the first
        // time, every request misses the cache at once, and one connection each would grow the pool by dozens of new
        // PostgreSQL sessions (each a process that loads PostGIS) just when the load is highest.
        var lookups = LazyInitializer.EnsureInitialized(ref _lookups, () => new(LookUpAsync, workers: 2, maxGroup: 500));
        foreach (var (key, device) in await lookups.CallAsync([.. missing]))
        {
            result[key] = device;
        }

        missing.RemoveWhere(result.ContainsKey);
        if (missing.Count > 0 && policy.Register)
        {
            var allowed = missing.Order(StringComparer.Ordinal).Take(TakeAllowance(policy, missing.Count, now)).ToArray();
            if (allowed.Length > 0)
            {
                var registrations = LazyInitializer.EnsureInitialized(ref _registrations, () => new(RegisterAsync, workers: 1, maxGroup: 500));
                foreach (var (key, device) in await registrations.CallAsync(allowed))
                {
                    result[key] = device;
                }
            }
        }

        return result;
    }

    private GroupedCalls<string[], Dictionary<string, Device>>? _registrations;

    private GroupedCalls<string[], Dictionary<string, Device>>? _lookups;

    /// <summary>The devices of the keys of concurrent requests, read in one statement; each request gets its own keys'.</summary>
    private async Task<IReadOnlyList<Dictionary<string, Device>>> LookUpAsync(IReadOnlyList<string[]> requests)
    {
        var all = new Dictionary<string, Device>(StringComparer.Ordinal);
        await ReadIntoAsync(requests.SelectMany(k => k).Distinct(StringComparer.Ordinal).ToArray(), all, clock.GetUtcNow(), CancellationToken.None);
        return [.. requests.Select(r => r.Where(all.ContainsKey).ToDictionary(k => k, k => all[k], StringComparer.Ordinal))];
    }

    /// <summary>Registers the new keys of concurrent requests in one statement and reads them back (with those another node
    /// registered first); each request gets its own keys' devices. Committed without waiting for the disk (asynchronous
    /// commit): no fix of these devices is acknowledged before a later synchronous commit of the fixes, and that commit's
    /// WAL flush includes this earlier registration.</summary>
    private async Task<IReadOnlyList<Dictionary<string, Device>>> RegisterAsync(IReadOnlyList<string[]> requests)
    {
        var keys = requests.SelectMany(k => k).Distinct(StringComparer.Ordinal).ToArray();
        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var register = new NpgsqlCommand("""
                SET LOCAL synchronous_commit = off;
                INSERT INTO device (device_key, kind, registered) SELECT unnest(@keys), 'unknown', false ON CONFLICT (device_key) DO NOTHING
                """, connection, transaction);
            register.Parameters.AddWithValue("keys", keys);
            await register.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        return await LookUpAsync(requests);
    }

    private async Task ReadIntoAsync(IReadOnlyCollection<string> keys, Dictionary<string, Device> result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = db.CreateCommand($"SELECT {Columns} FROM device WHERE device_key = ANY(@keys)");
        command.Parameters.AddWithValue("keys", keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var device = Read(reader);
            result[device.Key] = device;
            _cache[device.Key] = (device, now);
        }
    }

    /// <summary>How many of <paramref name="wanted"/> new keys the policy's client address may still register this hour.</summary>
    private int TakeAllowance(UnknownDevicePolicy policy, int wanted, DateTimeOffset now)
    {
        if (policy.ClientAddress is null)
        {
            return wanted;
        }

        var hour = now.ToUnixTimeSeconds() / 3600;
        var slot = (policy.ClientAddress, hour);
        var granted = 0;
        _newKeysPerAddress.AddOrUpdate(slot, _ => granted = Math.Min(wanted, policy.MaxNewPerAddressPerHour),
            (_, used) => used + (granted = Math.Clamp(policy.MaxNewPerAddressPerHour - used, 0, wanted)));
        if (_newKeysPerAddress.Count > 10_000)
        {
            foreach (var old in _newKeysPerAddress.Keys.Where(k => k.Hour < hour))
            {
                _newKeysPerAddress.TryRemove(old, out _);
            }
        }

        return granted;
    }

    /// <summary>True when <paramref name="token"/> is the device's ingest token (or it needs none).</summary>
    public async Task<bool> CheckTokenAsync(string key, string? token, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("SELECT token_sha256 FROM device WHERE device_key = @key");
        command.Parameters.AddWithValue("key", key);
        var stored = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        return stored is null || (token is not null && CryptographicOperations.FixedTimeEquals(stored, HashToken(token)));
    }

    /// <summary>
    /// Checks that <paramref name="key"/> is a registered, enabled patrol phone with an ingest token and that
    /// <paramref name="token"/> is that token (compared in constant time). Read from the database, never the
    /// cache, so a phone disabled on another node is refused at once. Returns the device when accepted.
    /// </summary>
    public async Task<(PhoneCredential Credential, Device? Device)> CheckPatrolPhoneAsync(
        string key, string? token, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"SELECT {Columns}, token_sha256 FROM device WHERE device_key = @key");
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (PhoneCredential.Unknown, null);
        }

        var device = Read(reader);
        var stored = reader.IsDBNull(10) ? null : (byte[])reader.GetValue(10);
        var credential = !device.Registered ? PhoneCredential.Unknown
            : stored is null ? PhoneCredential.NoToken
            : token is null || !CryptographicOperations.FixedTimeEquals(stored, HashToken(token)) ? PhoneCredential.WrongToken
            : !device.Enabled ? PhoneCredential.Disabled
            : device.Kind != "patrol_phone" ? PhoneCredential.NotAPatrolPhone
            : PhoneCredential.Accepted;
        return (credential, credential == PhoneCredential.Accepted ? device : null);
    }

    private static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static Device Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.GetString(6),
        r.GetBoolean(7), r.GetBoolean(8), r.GetBoolean(9));
}
