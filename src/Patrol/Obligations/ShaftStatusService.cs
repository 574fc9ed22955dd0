using GeoMine.Patrol.Responsibility;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Obligations;

/// <summary>One shaft's patrol status at a given time, by the overdue job's rule (<see cref="ShaftPatrolRating"/>),
/// with the current holders of the roles on the shaft and its mine. Read-only: no alarm is touched.</summary>
public sealed class ShaftStatusService(NpgsqlDataSource db, IOptions<PatrolObligationOptions> options)
{
    private const string Shaft = """
        SELECT s.id, s.code, m.code, t.code, m.closure_status, m.risk_class, s.mine_id,
               (SELECT max(v.arrived_at) FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at <= @at),
               shaft_clock_start(s.id, @at)
        FROM sealed_shaft s
        JOIN closed_mine m ON m.id = s.mine_id
        LEFT JOIN jurisdiction t ON t.id = m.town_id
        WHERE s.code = @code AND (@towns::text[] IS NULL OR (t.level = 'town' AND t.code = ANY(@towns)))
        """;

    /// <summary>Shaft <paramref name="code"/> at <paramref name="atUtc"/>; null when there is no such shaft in
    /// <paramref name="townCodes"/> (jurisdiction codes of level town; null = all towns).</summary>
    public async Task<ShaftStatus?> StatusAsync(
        string code, DateTime atUtc, IReadOnlyCollection<string>? townCodes = null, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        long shaftId, mineId;
        ShaftStatus status;
        await using (var command = new NpgsqlCommand(Shaft, connection))
        {
            command.Parameters.AddWithValue("code", code);
            command.Parameters.AddWithValue("at", atUtc);
            command.Parameters.Add(new NpgsqlParameter("towns", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)townCodes?.ToArray() ?? DBNull.Value });
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            if (!await r.ReadAsync(cancellationToken))
            {
                return null;
            }

            (shaftId, mineId) = (r.GetInt64(0), r.GetInt64(6));
            var riskClass = r.IsDBNull(5) ? null : r.GetString(5);
            var interval = settings.IntervalOf(r.GetString(1), r.GetString(4), riskClass);
            var lastVisit = r.IsDBNull(7) ? (DateTime?)null : r.GetDateTime(7);
            var rating = ShaftPatrolRating.Of(interval, lastVisit, r.IsDBNull(8) ? null : r.GetDateTime(8), atUtc, settings);
            status = new ShaftStatus(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), riskClass,
                atUtc, interval, rating, lastVisit, []);
        }

        var holders = await ResponsibilityService.ReadAsync(connection,
            "((a.object_kind = 'sealed_shaft' AND a.object_id = @shaft) OR (a.object_kind = 'closed_mine' AND a.object_id = @mine)) " +
            "AND a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)",
            [new("shaft", shaftId), new("mine", mineId), new("at", atUtc)], cancellationToken);
        return status with { Assignments = holders.OrderByDescending(a => a.ObjectKind == "sealed_shaft").ToList() };
    }
}
