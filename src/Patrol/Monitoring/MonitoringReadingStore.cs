using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// Stores batches of readings, all or nothing: every reading is checked first (known item, a unit accepted for
/// it, a registered point of a known pond measuring that item, a measurement time not in the future), and any
/// problem refuses the whole batch, naming each reading and field. Values are converted to the item's canonical
/// unit. In one transaction the readings are inserted and every pond they touch is re-rated
/// (<see cref="PondLevelEvaluator"/>), so an alarm is raised before the sender is answered; the sender hears
/// success only after the commit. Re-sending a reading (same point and measurement time, same value) is a
/// no-op; the same point and time with a different value is refused (a stored reading is never overwritten).
/// </summary>
public sealed class MonitoringReadingStore(NpgsqlDataSource db, PondLevelEvaluator evaluator, IOptions<MonitoringOptions> options, TimeProvider clock)
{
    private const string Resolve = """
        SELECT k.pond, k.point, tp.id, p.id, p.item
        FROM unnest(@ponds, @points) AS k(pond, point)
        LEFT JOIN tailings_pond tp ON tp.code = k.pond
        LEFT JOIN monitoring_point p ON p.pond_id = tp.id AND p.code = k.point
        """;

    private const string Insert = """
        INSERT INTO monitoring_reading (point_id, measured_at, value)
        SELECT * FROM unnest(@points, @times, @values)
        ON CONFLICT (point_id, measured_at) DO NOTHING
        RETURNING point_id, measured_at
        """;

    private const string Stored = """
        SELECT r.point_id, r.measured_at, r.value
        FROM monitoring_reading r JOIN unnest(@points, @times) AS k(point_id, measured_at)
          ON r.point_id = k.point_id AND r.measured_at = k.measured_at
        """;

    /// <summary>Checks and stores <paramref name="readings"/>, re-rating the ponds they touch.</summary>
    /// <exception cref="MonitoringInputException">A reading is wrong; every problem names its reading and field; nothing was stored.</exception>
    public async Task<ReadingBatchResult> StoreAsync(IReadOnlyList<ReadingInput> readings, CancellationToken ct = default)
    {
        var settings = options.Value;
        if (readings.Count == 0)
        {
            throw new MonitoringInputException("readings: none given");
        }

        if (readings.Count > settings.MaxBatch)
        {
            throw new MonitoringInputException($"readings: {readings.Count}, at most {settings.MaxBatch} per batch");
        }

        var problems = new List<string>();
        var latest = clock.GetUtcNow().UtcDateTime + settings.MaxFutureSkew;
        var canonical = new double[readings.Count];
        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            if (MonitoringItem.Find(r.Item) is not { } item)
            {
                problems.Add($"{r.Field("item")}: '{r.Item}' is not a monitoring item ({string.Join(", ", MonitoringItem.Codes)})");
            }
            else if (!item.TryToCanonical(r.Value, r.Unit, out canonical[i]))
            {
                problems.Add($"{r.Field("unit")}: '{r.Unit}' is not a unit of {item.Code} (accepted: {item.UnitList})");
            }

            if (!double.IsFinite(r.Value))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Field("value")}: {r.Value} is not a number"));
            }

            if (r.MeasuredAtUtc > latest)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Field("measured_at")}: {r.MeasuredAtUtc:u} is in the future"));
            }
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var points = await ResolveAsync(readings, connection, transaction, ct);
        var rows = new Dictionary<(long Point, DateTime At), (double Value, int Index)>();
        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            var (pondId, pointId, item) = points[(r.Pond, r.Point)];
            if (pondId is null)
            {
                problems.Add($"{r.Field("pond")}: no tailings pond with code '{r.Pond}'");
            }
            else if (pointId is null)
            {
                problems.Add($"{r.Field("point")}: no monitoring point '{r.Point}' registered at {r.Pond} (register it first: geomine monitoring points add)");
            }
            else if (item != r.Item && MonitoringItem.Find(r.Item) is not null)
            {
                problems.Add($"{r.Field("item")}: point {r.Point} of {r.Pond} measures {item}, not {r.Item}");
            }
            else if (rows.TryGetValue((pointId.Value, Microseconds(r.MeasuredAtUtc)), out var earlier) && !Same(earlier.Value, canonical[i]))
            {
                problems.Add($"{r.Field("value")}: {readings[earlier.Index].Label} gives point {r.Point} at {r.MeasuredAtUtc:u} another value");
            }
            else
            {
                rows[(pointId.Value, Microseconds(r.MeasuredAtUtc))] = (canonical[i], i);
            }
        }

        if (problems.Count > 0)
        {
            throw new MonitoringInputException(problems);
        }

        var ponds = points.Values.Where(p => p.PointId is not null).Select(p => p.PondId!.Value).Distinct().Order().ToList();
        foreach (var pond in ponds)
        {
            await PondLevelEvaluator.LockPondAsync(pond, connection, transaction, ct);
        }

        var stored = await InsertAsync(rows, connection, transaction, ct);
        await CheckResentAsync(rows, stored, readings, connection, transaction, ct);
        var levels = new List<PondLevel>();
        foreach (var pond in ponds)
        {
            levels.Add(await evaluator.EvaluateAsync(pond, null, connection, transaction, ct));
        }

        await transaction.CommitAsync(ct);
        return new ReadingBatchResult(readings.Count, stored.Count, rows.Count - stored.Count, levels);
    }

    private static async Task<Dictionary<(string Pond, string Point), (long? PondId, long? PointId, string? Item)>> ResolveAsync(
        IReadOnlyList<ReadingInput> readings, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var keys = readings.Select(r => (r.Pond, r.Point)).Distinct().ToList();
        await using var command = new NpgsqlCommand(Resolve, connection, transaction);
        command.Parameters.AddWithValue("ponds", keys.Select(k => k.Pond).ToArray());
        command.Parameters.AddWithValue("points", keys.Select(k => k.Point).ToArray());
        var found = new Dictionary<(string, string), (long?, long?, string?)>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            found[(r.GetString(0), r.GetString(1))] = (r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3),
                r.IsDBNull(4) ? null : r.GetString(4));
        }

        return found;
    }

    private static async Task<HashSet<(long, DateTime)>> InsertAsync(
        Dictionary<(long Point, DateTime At), (double Value, int Index)> rows, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Insert, connection, transaction);
        command.Parameters.AddWithValue("points", rows.Keys.Select(k => k.Point).ToArray());
        command.Parameters.Add(new NpgsqlParameter("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Keys.Select(k => k.At).ToArray() });
        command.Parameters.AddWithValue("values", rows.Values.Select(v => v.Value).ToArray());
        var inserted = new HashSet<(long, DateTime)>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            inserted.Add((r.GetInt64(0), r.GetDateTime(1)));
        }

        return inserted;
    }

    /// <summary>Rows that were already stored must hold the same value: an acknowledged reading is never replaced.</summary>
    private static async Task CheckResentAsync(
        Dictionary<(long Point, DateTime At), (double Value, int Index)> rows, HashSet<(long, DateTime)> inserted,
        IReadOnlyList<ReadingInput> readings, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var resent = rows.Keys.Where(k => !inserted.Contains(k)).ToList();
        if (resent.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(Stored, connection, transaction);
        command.Parameters.AddWithValue("points", resent.Select(k => k.Point).ToArray());
        command.Parameters.Add(new NpgsqlParameter("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = resent.Select(k => k.At).ToArray() });
        var problems = new List<string>();
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var (value, index) = rows[(r.GetInt64(0), r.GetDateTime(1))];
                if (!Same(value, r.GetDouble(2)))
                {
                    var reading = readings[index];
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{reading.Field("value")}: point {reading.Point} at {reading.MeasuredAtUtc:u} is already stored with {r.GetDouble(2)} (canonical unit), not {value}; a stored reading is never replaced"));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new MonitoringInputException(problems);
        }
    }

    /// <summary>PostgreSQL keeps microseconds; .NET ticks are 100 ns.</summary>
    private static DateTime Microseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>Equal up to unit-conversion rounding (the same reading re-sent in cm instead of m).</summary>
    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
}
