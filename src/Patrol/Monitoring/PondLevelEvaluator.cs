using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// Rates a pond from the newest reading of each of its points: point level by the pond's thresholds for the
/// item (<see cref="MonitoringThresholds.LevelOf"/>), item level and pond level by <see cref="EscalationLadder"/>.
/// Writes <c>monitoring_point_status</c> and <c>monitoring_pond_status</c>, and keeps the pond's
/// <c>monitoring_level</c> alarm in step: raised when the pond leaves normal (severity = the pond's level),
/// escalated when the level rises, ended when it is back to normal. A lower but not normal level keeps the
/// episode running at its peak severity. Runs inside the caller's transaction.
/// </summary>
public sealed class PondLevelEvaluator(AlarmStore alarms)
{
    /// <summary>Alarm kind of a pond whose monitoring reaches a warning level.</summary>
    public static readonly string LevelKind = AlarmKinds.MonitoringLevel.Code;

    private const string Points = """
        SELECT p.id, p.code, p.item, r.measured_at, r.value, t.blue, t.yellow, t.orange, t.red, t.direction, tp.code, tp.name
        FROM tailings_pond tp
        JOIN monitoring_point p ON p.pond_id = tp.id
        LEFT JOIN LATERAL (
            SELECT measured_at, value FROM monitoring_reading WHERE point_id = p.id ORDER BY measured_at DESC LIMIT 1
        ) r ON true
        LEFT JOIN monitoring_threshold t ON t.pond_id = p.pond_id AND t.item = p.item
        WHERE tp.id = @pond
        ORDER BY p.item, p.code
        """;

    private const string SaveStatus = """
        INSERT INTO monitoring_point_status (point_id, measured_at, value, level, evaluated_at)
        SELECT id, m, v, l, now() FROM unnest(@ids, @measured, @values, @levels) AS u(id, m, v, l)
        ON CONFLICT (point_id) DO UPDATE SET measured_at = EXCLUDED.measured_at, value = EXCLUDED.value,
            level = EXCLUDED.level, evaluated_at = EXCLUDED.evaluated_at;
        INSERT INTO monitoring_pond_status (pond_id, level, item_levels, evaluated_at) VALUES (@pond, @level, @items, now())
        ON CONFLICT (pond_id) DO UPDATE SET level = EXCLUDED.level, item_levels = EXCLUDED.item_levels, evaluated_at = now();
        """;

    /// <summary>Serialises evaluations of one pond (and batches of readings for it) across app nodes until the
    /// transaction ends. Take these locks in ascending pond id order.</summary>
    public static async Task LockPondAsync(long pondId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('monitoring_pond'), @pond::int)", connection, transaction);
        command.Parameters.AddWithValue("pond", pondId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Rates pond <paramref name="pondId"/> and updates its status and alarm. An episode that ends is
    /// ended at <paramref name="endedAtUtc"/>, or when not given at the newest reading of the pond.</summary>
    public async Task<PondLevel> EvaluateAsync(
        long pondId, DateTime? endedAtUtc, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var points = new List<PointLevel>();
        string pondCode = "", pondName = "";
        await using (var command = new NpgsqlCommand(Points, connection, transaction))
        {
            command.Parameters.AddWithValue("pond", pondId);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                double? Nullable(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
                var thresholds = r.IsDBNull(9) ? null : new MonitoringThresholds(Nullable(5), Nullable(6), Nullable(7), Nullable(8),
                    r.GetString(9) == "below" ? ThresholdDirection.Below : ThresholdDirection.Above);
                var value = Nullable(4);
                points.Add(new PointLevel(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetDateTime(3), value,
                    thresholds is not null && value is { } v ? thresholds.LevelOf(v) : null, thresholds));
                (pondCode, pondName) = (r.GetString(10), r.GetString(11));
            }
        }

        var itemLevels = points.GroupBy(p => p.Item)
            .ToDictionary(g => g.Key, g => EscalationLadder.Combine(g.Select(p => p.Level ?? WarningLevel.Normal)), StringComparer.Ordinal);
        var level = EscalationLadder.Combine(itemLevels.Values);
        await SaveAsync(pondId, points, level, itemLevels, connection, transaction, ct);
        if (points.Count == 0)
        {
            return new PondLevel(pondId, pondCode, level, itemLevels, points, AlarmChange.None);
        }

        var change = AlarmChange.None;
        if (level == WarningLevel.Normal)
        {
            var endedAt = endedAtUtc ?? points.Max(p => p.MeasuredAtUtc) ?? DateTime.UtcNow;
            if (await alarms.EndEpisodeAsync(LevelKind, "tailings_pond", pondId, null, endedAt, connection, transaction, ct))
            {
                change = AlarmChange.Ended;
            }
        }
        else
        {
            var warning = points.Where(p => p.Level > WarningLevel.Normal).ToList();
            var evidence = Evidence(pondCode, level, itemLevels, points);
            var condition = new AlarmCondition(LevelKind, level.Code(), "tailings_pond", pondId, null,
                $"{pondName}（{pondCode}）在线监测{level.Chinese()}预警：" + string.Join("，", itemLevels
                    .Where(i => i.Value > WarningLevel.Normal).OrderByDescending(i => i.Value)
                    .Select(i => $"{MonitoringItem.Get(i.Key).Name}{i.Value.Chinese()}")),
                warning.Min(p => p.MeasuredAtUtc!.Value), warning.Max(p => p.MeasuredAtUtc!.Value), evidence);
            var (id, raised) = await alarms.RaiseOrExtendAsync(condition, connection, transaction, ct);
            change = raised ? AlarmChange.Raised
                : await alarms.EscalateAsync(id, level.Code(), evidence, $"在线监测升级为{level.Chinese()}预警", connection, transaction, ct)
                    ? AlarmChange.Escalated
                    : AlarmChange.Extended;
        }

        return new PondLevel(pondId, pondCode, level, itemLevels, points, change);
    }

    private static async Task SaveAsync(
        long pondId, List<PointLevel> points, WarningLevel level, Dictionary<string, WarningLevel> itemLevels,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SaveStatus, connection, transaction);
        command.Parameters.AddWithValue("ids", points.Select(p => p.PointId).ToArray());
        command.Parameters.Add(new NpgsqlParameter("measured", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = points.Select(p => (object?)p.MeasuredAtUtc ?? DBNull.Value).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Double)
        {
            Value = points.Select(p => (object?)p.Value ?? DBNull.Value).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("levels", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = points.Select(p => (object?)p.Level?.Code() ?? DBNull.Value).ToArray(),
        });
        command.Parameters.AddWithValue("pond", pondId);
        command.Parameters.AddWithValue("level", level.Code());
        command.Parameters.Add(new NpgsqlParameter("items", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(itemLevels.ToDictionary(i => i.Key, i => i.Value.Code())),
        });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The items above normal, each with its thresholds and the points above normal with their values.</summary>
    private static JsonObject Evidence(string pondCode, WarningLevel level, Dictionary<string, WarningLevel> itemLevels, List<PointLevel> points)
    {
        var items = new JsonArray();
        foreach (var (code, itemLevel) in itemLevels.Where(i => i.Value > WarningLevel.Normal).OrderByDescending(i => i.Value))
        {
            var item = MonitoringItem.Get(code);
            var thresholds = points.First(p => p.Item == code).Thresholds!;
            var warning = new JsonArray();
            foreach (var p in points.Where(p => p.Item == code && p.Level > WarningLevel.Normal).OrderByDescending(p => p.Level))
            {
                warning.Add(new JsonObject
                {
                    ["point"] = p.Code,
                    ["level"] = p.Level!.Value.Code(),
                    ["value"] = p.Value,
                    ["threshold"] = thresholds.Of(p.Level.Value),
                    ["measured_at"] = p.MeasuredAtUtc!.Value.ToString("O", CultureInfo.InvariantCulture),
                });
            }

            items.Add(new JsonObject
            {
                ["item"] = code,
                ["name"] = item.Name,
                ["level"] = itemLevel.Code(),
                ["unit"] = item.CanonicalUnit,
                ["direction"] = thresholds.Direction == ThresholdDirection.Below ? "below" : "above",
                ["thresholds"] = new JsonObject
                {
                    ["blue"] = thresholds.Blue, ["yellow"] = thresholds.Yellow, ["orange"] = thresholds.Orange, ["red"] = thresholds.Red,
                },
                ["points"] = warning,
            });
        }

        return new JsonObject
        {
            ["pond_code"] = pondCode,
            ["level"] = level.Code(),
            ["items"] = items,
            ["ladder"] = "GB 39496-2020 5.5.4: 4 blue count as 1 yellow, 3 yellow as 1 orange, 2 orange as 1 red (points of an item, then items of the pond)",
        };
    }
}
