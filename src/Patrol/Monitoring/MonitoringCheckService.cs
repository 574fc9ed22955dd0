using System.Globalization;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// The <c>monitoring-check</c> job's work, as of a given "now": re-rates every pond that has points (a safety net:
/// readings and threshold changes already rate their pond at once), and finds silent feeds. A point is silent
/// when its newest reading measured at or before "now" (or, never read, its registration) is older than
/// <see cref="MonitoringOptions.StaleAfter"/> (per item: <see cref="MonitoringOptions.StaleAfterByItem"/>). A pond
/// with silent points has one <c>monitoring_stale</c> alarm listing them and the pond's online rate; it ends at the
/// first check that finds none silent. All changes commit in one transaction.
/// </summary>
public sealed class MonitoringCheckService(NpgsqlDataSource db, AlarmStore alarms, PondLevelEvaluator evaluator, IOptions<MonitoringOptions> options)
{
    /// <summary>Alarm kind of a pond whose monitoring feed is (partly) silent.</summary>
    public static readonly string StaleKind = AlarmKinds.MonitoringStale.Code;

    private const string Points = """
        SELECT tp.id, tp.code, tp.name, p.code, p.item, p.created_at,
               (SELECT max(r.measured_at) FROM monitoring_reading r WHERE r.point_id = p.id AND r.measured_at <= @now)
        FROM monitoring_point p JOIN tailings_pond tp ON tp.id = p.pond_id
        ORDER BY tp.id, p.code
        """;

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>Checks every pond as of <paramref name="nowUtc"/>.</summary>
    public async Task<MonitoringCheckResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<Row>();
            await using (var command = new NpgsqlCommand(Points, connection, transaction))
            {
                command.Parameters.AddWithValue("now", nowUtc);
                await using var r = await command.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    rows.Add(new Row(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDateTime(5),
                        r.IsDBNull(6) ? null : r.GetDateTime(6)));
                }
            }

            int raised = 0, escalated = 0, ended = 0;
            var ponds = new List<PondLevel>();
            var silent = new List<SilentPoint>();
            foreach (var pond in rows.GroupBy(r => r.PondId))
            {
                await PondLevelEvaluator.LockPondAsync(pond.Key, connection, transaction, cancellationToken);
                var level = await evaluator.EvaluateAsync(pond.Key, null, connection, transaction, cancellationToken);
                ponds.Add(level);
                (raised, escalated, ended) = level.Alarm switch
                {
                    AlarmChange.Raised => (raised + 1, escalated, ended),
                    AlarmChange.Escalated => (raised, escalated + 1, ended),
                    AlarmChange.Ended => (raised, escalated, ended + 1),
                    _ => (raised, escalated, ended),
                };

                var quiet = new List<SilentPoint>();
                foreach (var p in pond)
                {
                    var since = p.LastMeasuredAt ?? p.CreatedAt;
                    var silentSince = since + settings.StaleAfterOf(p.Item);
                    if (since <= nowUtc && nowUtc >= silentSince)
                    {
                        quiet.Add(new SilentPoint(p.PondCode, p.Code, p.Item, p.LastMeasuredAt, silentSince));
                    }
                }

                silent.AddRange(quiet);
                var first = pond.First();
                if (quiet.Count == 0)
                {
                    ended += await alarms.EndEpisodeAsync(StaleKind, "tailings_pond", pond.Key, null, nowUtc, connection, transaction, cancellationToken) ? 1 : 0;
                    continue;
                }

                var total = pond.Count();
                var condition = new AlarmCondition(StaleKind, settings.StaleSeverity, "tailings_pond", pond.Key, null,
                    $"{first.PondName}（{first.PondCode}）在线监测数据中断：{quiet.Count}/{total} 个监测点无数据",
                    quiet.Min(q => q.SilentSinceUtc), nowUtc, Evidence(first.PondCode, quiet, total, nowUtc));
                raised += (await alarms.RaiseOrExtendAsync(condition, connection, transaction, cancellationToken)).Raised ? 1 : 0;
            }

            await transaction.CommitAsync(cancellationToken);
            return new MonitoringCheckResult(nowUtc, ponds, silent, raised, escalated, ended);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    private JsonObject Evidence(string pondCode, List<SilentPoint> quiet, int total, DateTime now) => new()
    {
        ["pond_code"] = pondCode,
        ["checked_at"] = now.ToString("O", CultureInfo.InvariantCulture),
        ["points"] = total,
        ["online_rate"] = Math.Round((double)(total - quiet.Count) / total, 4),
        ["silent_points"] = new JsonArray(quiet.Select(q => (JsonNode)new JsonObject
        {
            ["point"] = q.Code,
            ["item"] = q.Item,
            ["last_measured_at"] = q.LastMeasuredAtUtc?.ToString("O", CultureInfo.InvariantCulture),
            ["silent_since"] = q.SilentSinceUtc.ToString("O", CultureInfo.InvariantCulture),
            ["stale_after_minutes"] = options.Value.StaleAfterOf(q.Item).TotalMinutes,
        }).ToArray()),
    };

    private sealed record Row(long PondId, string PondCode, string PondName, string Code, string Item, DateTime CreatedAt, DateTime? LastMeasuredAt);
}
