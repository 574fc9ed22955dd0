using System.Text.Json;
using System.Text.Json.Serialization;
using GeoMine.Geo.Geofence;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Detection;

/// <summary>
/// The out-of-boundary job's work: reads the positions received since the last run (watermark on
/// receive time, minus a commit lag), runs them per device in fix-time order through
/// <see cref="PositionRules"/> against the geofence index, and commits alarm changes, device rule
/// states and the new watermark in one transaction, so a crash repeats a run rather than losing one.
/// </summary>
public sealed class BoundaryCheckService(
    NpgsqlDataSource db, DeviceRegistry devices, AlarmStore alarms, IOptions<DetectionOptions> options)
{
    private const string Job = "boundary-check";

    private const string ReadPositions = """
        SELECT device_id, fix_time, ST_X(geom), ST_Y(geom), altitude_m, accuracy_m FROM position
        WHERE received_at > @from AND received_at <= @to ORDER BY device_id, fix_time
        """;

    private readonly SemaphoreSlim _oneRun = new(1, 1);
    private (string Version, ReferenceContext Context)? _reference;

    /// <summary>Runs once as of <paramref name="nowUtc"/>.</summary>
    public async Task<BoundaryCheckResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var context = await ReferenceAsync(cancellationToken);
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            var from = await JobWatermark.LockAsync(Job, connection, transaction, cancellationToken);
            // Receive times come from the database clock: never move the watermark past it, whatever "now" the caller
            // simulates, or fixes received later would be skipped; nor past a transaction still in progress, which may yet
            // commit fixes received at its start.
            var to = Min(nowUtc - settings.CommitLag, await JobWatermark.CompleteUptoAsync(settings.CommitLag, connection, transaction, cancellationToken));
            if (to <= from)
            {
                return new BoundaryCheckResult(from, from, 0, 0, 0);
            }

            // The run's fixes first (ordered by device and time), then the rule states and devices of just those devices: a run
            // every half second under load must not read every device and every state of the county each time.
            var fixes = new List<StoredFix>();
            await using (var read = new NpgsqlCommand(ReadPositions, connection, transaction))
            {
                read.Parameters.AddWithValue("from", from);
                read.Parameters.AddWithValue("to", to);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    fixes.Add(new StoredFix(reader.GetInt64(0), reader.GetDateTime(1), reader.GetDouble(2), reader.GetDouble(3),
                        reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5)));
                }
            }

            var ids = fixes.Select(f => f.DeviceId).Distinct().ToArray();
            var byId = await devices.ByIdsAsync(ids, cancellationToken);
            var states = await StatesAsync(ids, connection, transaction, cancellationToken);
            var rules = new PositionRules(settings);
            var actions = new List<RuleAction>();
            var touched = new HashSet<long>();
            foreach (var fix in fixes)
            {
                if (!byId.TryGetValue(fix.DeviceId, out var device))
                {
                    continue;
                }

                if (!states.TryGetValue(fix.DeviceId, out var state))
                {
                    states[fix.DeviceId] = state = new DeviceDetectionState();
                }

                touched.Add(fix.DeviceId);
                rules.Apply(device, state, fix, context, actions);
            }

            long count = fixes.Count;
            int raised = 0, ended = 0;
            foreach (var action in actions)
            {
                switch (action)
                {
                    case RuleAction.Report report:
                        if ((await alarms.RaiseOrExtendAsync(report.Condition, connection, transaction, cancellationToken)).Raised)
                        {
                            raised++;
                        }

                        break;
                    case RuleAction.End end:
                        if (await alarms.EndEpisodeAsync(end.Kind, end.ObjectKind, end.ObjectId, end.DeviceId, end.At, connection, transaction, cancellationToken))
                        {
                            ended++;
                        }

                        break;
                }
            }

            await SaveStatesAsync(connection, transaction, touched.Select(id => (id, states[id])), cancellationToken);
            await JobWatermark.SaveAsync(Job, to, connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new BoundaryCheckResult(from, to, count, raised, ended);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    /// <summary>The reference data and index, rebuilt only when a boundary table changed.</summary>
    private async Task<ReferenceContext> ReferenceAsync(CancellationToken ct)
    {
        await using var version = db.CreateCommand("""
            SELECT concat_ws('/', (SELECT max(updated_at) || ':' || count(*) FROM mining_right), (SELECT max(updated_at) || ':' || count(*) FROM closed_mine),
                   (SELECT max(updated_at) || ':' || count(*) FROM sealed_shaft), (SELECT max(updated_at) || ':' || count(*) FROM tailings_pond))
            """);
        var current = (string)(await version.ExecuteScalarAsync(ct))!;
        if (_reference is { } cached && cached.Version == current)
        {
            return cached.Context;
        }

        var areas = await GeofenceLoader.LoadAsync(db, options.Value.ShaftRadiusMetres, ct);
        var licences = new Dictionary<long, (string, string?, DateOnly?, DateOnly?)>();
        var shafts = new Dictionary<long, (long, string)>();
        var mines = new Dictionary<long, string>();
        var ponds = new Dictionary<long, (string, DateOnly?)>();
        await using (var command = db.CreateCommand("SELECT id, licence_no, holder, valid_from, valid_to FROM mining_right"))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                licences[r.GetInt64(0)] = (r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                    r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateOnly>(4));
            }
        }

        await using (var command = db.CreateCommand("SELECT id, mine_id, code FROM sealed_shaft"))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                shafts[r.GetInt64(0)] = (r.GetInt64(1), r.GetString(2));
            }
        }

        await using (var command = db.CreateCommand("SELECT id, name FROM closed_mine"))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                mines[r.GetInt64(0)] = r.GetString(1);
            }
        }

        await using (var command = db.CreateCommand("SELECT id, name, disused_since FROM tailings_pond WHERE status = 'disused'"))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                ponds[r.GetInt64(0)] = (r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2));
            }
        }

        var context = new ReferenceContext(licences, shafts, mines, ponds, GeofenceIndex.Build(areas));
        _reference = (current, context);
        return context;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>States are stored without their default members (an idle tracker is <c>{}</c>): a quarter of the JSON to write
    /// and parse on every run; reading fills the defaults back in.</summary>
    private static readonly JsonSerializerOptions StateJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    private static async Task<Dictionary<long, DeviceDetectionState>> StatesAsync(
        long[] ids, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var states = new Dictionary<long, DeviceDetectionState>();
        await using var command = new NpgsqlCommand("SELECT device_id, state::text FROM detection_state WHERE device_id = ANY(@ids)", connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            states[reader.GetInt64(0)] = JsonSerializer.Deserialize<DeviceDetectionState>(reader.GetString(1), StateJson)!;
        }

        return states;
    }

    private static async Task SaveStatesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(long Id, DeviceDetectionState State)> states, CancellationToken ct)
    {
        var list = states.ToList();
        if (list.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO detection_state (device_id, state) SELECT * FROM unnest(@ids, @states)
            ON CONFLICT (device_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()
            """, connection, transaction);
        command.Parameters.AddWithValue("ids", list.Select(s => s.Id).ToArray());
        command.Parameters.Add(new NpgsqlParameter("states", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb)
        {
            Value = list.Select(s => JsonSerializer.Serialize(s.State, StateJson)).ToArray(),
        });
        await command.ExecuteNonQueryAsync(ct);
    }
}
