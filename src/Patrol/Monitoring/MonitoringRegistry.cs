using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// Monitoring points and thresholds. A point must be registered (pond, code, item) before its readings are
/// accepted: a reading for an unknown point is refused, so a typo never opens a new feed nobody watches.
/// Setting thresholds re-rates the pond at once in the same transaction (alarm raised, escalated or ended).
/// </summary>
public sealed class MonitoringRegistry(NpgsqlDataSource db, PondLevelEvaluator evaluator, TimeProvider clock)
{
    /// <summary>Registers point <paramref name="code"/> of pond <paramref name="pondCode"/> measuring
    /// <paramref name="item"/>, optionally at (<paramref name="longitude"/>, <paramref name="latitude"/>) in CGCS2000
    /// degrees. Registering an existing point again updates its position; its item cannot change.</summary>
    /// <exception cref="MonitoringInputException">Unknown pond or item, missing code, item differs from the registered one.</exception>
    public async Task<MonitoringPoint> AddPointAsync(
        string pondCode, string code, string item, double? longitude = null, double? latitude = null, CancellationToken ct = default)
    {
        var known = MonitoringItem.Find(item) ?? throw new MonitoringInputException(
            $"item: '{item}' is not a monitoring item ({string.Join(", ", MonitoringItem.Codes)})");
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new MonitoringInputException("point: missing");
        }

        if (longitude is null != latitude is null || longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw new MonitoringInputException("lon/lat: both or neither, in degrees (CGCS2000)");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var pondId = await PondIdAsync(pondCode, connection, transaction, ct);
        await using (var command = new NpgsqlCommand("""
            INSERT INTO monitoring_point (pond_id, code, item, unit, geom)
            VALUES (@pond, @code, @item, @unit, CASE WHEN @lon::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon, @lat), 4490) END)
            ON CONFLICT (pond_id, code) DO UPDATE SET geom = coalesce(EXCLUDED.geom, monitoring_point.geom)
            RETURNING item
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("pond", pondId);
            command.Parameters.AddWithValue("code", code.Trim());
            command.Parameters.AddWithValue("item", known.Code);
            command.Parameters.AddWithValue("unit", known.CanonicalUnit);
            command.Parameters.Add(new NpgsqlParameter("lon", NpgsqlDbType.Double) { Value = (object?)longitude ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("lat", NpgsqlDbType.Double) { Value = (object?)latitude ?? DBNull.Value });
            var registered = (string)(await command.ExecuteScalarAsync(ct))!;
            if (registered != known.Code)
            {
                throw new MonitoringInputException($"item: point {code} of {pondCode} measures {registered}, not {known.Code}");
            }
        }

        await transaction.CommitAsync(ct);
        return (await ListPointsAsync(pondCode, ct)).Single(p => p.Code == code.Trim());
    }

    /// <summary>Points, of one pond or all, by pond and code, with their newest reading and level.</summary>
    public async Task<IReadOnlyList<MonitoringPoint>> ListPointsAsync(string? pondCode = null, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand("""
            SELECT p.id, tp.code, p.code, p.item, p.unit, ST_X(p.geom), ST_Y(p.geom), p.created_at, s.measured_at, s.value, s.level
            FROM monitoring_point p
            JOIN tailings_pond tp ON tp.id = p.pond_id
            LEFT JOIN monitoring_point_status s ON s.point_id = p.id
            WHERE @pond::text IS NULL OR tp.code = @pond
            ORDER BY tp.code, p.code
            """);
        command.Parameters.Add(new NpgsqlParameter("pond", NpgsqlDbType.Text) { Value = (object?)pondCode ?? DBNull.Value });
        await using var r = await command.ExecuteReaderAsync(ct);
        var points = new List<MonitoringPoint>();
        while (await r.ReadAsync(ct))
        {
            double? Number(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
            points.Add(new MonitoringPoint(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Number(5), Number(6),
                r.GetDateTime(7), r.IsDBNull(8) ? null : r.GetDateTime(8), Number(9), r.IsDBNull(10) ? null : r.GetString(10)));
        }

        return points;
    }

    /// <summary>Sets the thresholds of <paramref name="item"/> at pond <paramref name="pondCode"/> (values in the item's
    /// canonical unit) and re-rates the pond. Returns the pond's new rating.</summary>
    /// <exception cref="MonitoringInputException">Unknown pond or item, no threshold, thresholds not monotone.</exception>
    public async Task<PondLevel> SetThresholdsAsync(string pondCode, string item, MonitoringThresholds thresholds, CancellationToken ct = default)
    {
        var known = MonitoringItem.Find(item) ?? throw new MonitoringInputException(
            $"item: '{item}' is not a monitoring item ({string.Join(", ", MonitoringItem.Codes)})");
        if (thresholds.Problems() is { Count: > 0 } problems)
        {
            throw new MonitoringInputException(problems);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var pondId = await PondIdAsync(pondCode, connection, transaction, ct);
        await PondLevelEvaluator.LockPondAsync(pondId, connection, transaction, ct);
        await using (var command = new NpgsqlCommand("""
            INSERT INTO monitoring_threshold (pond_id, item, blue, yellow, orange, red, direction, updated_at)
            VALUES (@pond, @item, @blue, @yellow, @orange, @red, @direction, now())
            ON CONFLICT (pond_id, item) DO UPDATE SET blue = EXCLUDED.blue, yellow = EXCLUDED.yellow, orange = EXCLUDED.orange,
                red = EXCLUDED.red, direction = EXCLUDED.direction, updated_at = now()
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("pond", pondId);
            command.Parameters.AddWithValue("item", known.Code);
            foreach (var (name, value) in (ReadOnlySpan<(string, double?)>)[
                         ("blue", thresholds.Blue), ("yellow", thresholds.Yellow), ("orange", thresholds.Orange), ("red", thresholds.Red)])
            {
                command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Double) { Value = (object?)value ?? DBNull.Value });
            }

            command.Parameters.AddWithValue("direction", thresholds.Direction == ThresholdDirection.Below ? "below" : "above");
            await command.ExecuteNonQueryAsync(ct);
        }

        var level = await evaluator.EvaluateAsync(pondId, clock.GetUtcNow().UtcDateTime, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return level;
    }

    /// <summary>Thresholds, of one pond or all, by pond and item.</summary>
    public async Task<IReadOnlyList<PondThresholds>> ListThresholdsAsync(string? pondCode = null, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand("""
            SELECT tp.code, t.item, t.blue, t.yellow, t.orange, t.red, t.direction, t.updated_at
            FROM monitoring_threshold t JOIN tailings_pond tp ON tp.id = t.pond_id
            WHERE @pond::text IS NULL OR tp.code = @pond
            ORDER BY tp.code, t.item
            """);
        command.Parameters.Add(new NpgsqlParameter("pond", NpgsqlDbType.Text) { Value = (object?)pondCode ?? DBNull.Value });
        await using var r = await command.ExecuteReaderAsync(ct);
        var list = new List<PondThresholds>();
        while (await r.ReadAsync(ct))
        {
            double? Number(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
            var item = r.GetString(1);
            list.Add(new PondThresholds(r.GetString(0), item, MonitoringItem.Get(item).CanonicalUnit,
                new MonitoringThresholds(Number(2), Number(3), Number(4), Number(5),
                    r.GetString(6) == "below" ? ThresholdDirection.Below : ThresholdDirection.Above),
                r.GetDateTime(7)));
        }

        return list;
    }

    private static async Task<long> PondIdAsync(string pondCode, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM tailings_pond WHERE code = @code", connection, transaction);
        command.Parameters.AddWithValue("code", pondCode);
        return await command.ExecuteScalarAsync(ct) as long? ?? throw new MonitoringInputException($"pond: no tailings pond with code '{pondCode}'");
    }
}
