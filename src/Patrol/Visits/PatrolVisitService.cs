using GeoMine.Patrol.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Visits;

/// <summary>
/// Finds patrol visits (巡查到位) in patrol phones' tracks. Distances are geodesic, computed by PostGIS
/// on the CGCS2000 ellipsoid (<c>ST_DWithin</c>/<c>ST_Distance</c> on geography); the grouping of
/// consecutive fixes into visits is done in memory. A device's period is always recomputed whole: its
/// track visits in the period are deleted and found again, so rescanning is idempotent.
/// The job form (<see cref="RunAsync"/>) rescans, for each patrol phone with positions received since
/// the last run, the fix-time span of those positions plus <see cref="VisitOptions.Lookback"/>.
/// </summary>
public sealed class PatrolVisitService(NpgsqlDataSource db, IOptions<VisitOptions> options)
{
    /// <summary>Job name and watermark key.</summary>
    public const string Job = "patrol-visits";

    // The bounding-box test (0.01° ≈ 1 km) lets the shaft index work before the geodesic test.
    private const string FixesNearShafts = """
        SELECT p.fix_time, s.id, s.code, ST_Distance(geography(p.geom), geography(s.geom))
        FROM position p
        LEFT JOIN LATERAL (
            SELECT id, code, geom FROM sealed_shaft s
            WHERE s.geom && ST_Expand(p.geom, 0.01)
              AND ST_DWithin(geography(p.geom), geography(s.geom), @radius + least(coalesce(p.accuracy_m, 0), @widening))
        ) s ON true
        WHERE p.device_id = @device AND p.fix_time >= @from AND p.fix_time < @to
        ORDER BY p.fix_time, s.id
        """;

    private const string NewPositions = """
        SELECT p.device_id, min(p.fix_time), max(p.fix_time) FROM position p JOIN device d ON d.id = p.device_id
        WHERE p.received_at > @from AND p.received_at <= @to AND d.kind = 'patrol_phone'
        GROUP BY p.device_id
        """;

    private const string Insert = """
        INSERT INTO patrol_visit (shaft_id, device_id, person_id, arrived_at, left_at, min_distance_m, fixes, source)
        VALUES (@shaft, @device, @person, @arrived, @left, @distance, @fixes, 'track')
        """;

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>Recomputes the track visits of device <paramref name="deviceId"/> whose fixes lie in
    /// [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), widened to cover whole any visit already stored
    /// that reaches into the period. Returns the visits now stored for that span.</summary>
    public async Task<IReadOnlyList<PatrolVisit>> ScanDeviceAsync(long deviceId, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var visits = await ScanAsync(connection, transaction, deviceId, fromUtc, toUtc, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return visits;
    }

    /// <summary>Runs the job once as of <paramref name="nowUtc"/>.</summary>
    public async Task<PatrolVisitRunResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var from = await JobWatermark.LockAsync(Job, connection, transaction, cancellationToken);
            var dbNow = await JobWatermark.DatabaseNowAsync(connection, transaction, cancellationToken);
            var to = (nowUtc < dbNow ? nowUtc : dbNow) - options.Value.CommitLag;
            if (to <= from)
            {
                return new PatrolVisitRunResult(from, from, 0, 0);
            }

            var spans = new List<(long Device, DateTime First, DateTime Last)>();
            await using (var command = new NpgsqlCommand(NewPositions, connection, transaction))
            {
                command.Parameters.AddWithValue("from", from);
                command.Parameters.AddWithValue("to", to);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    spans.Add((reader.GetInt64(0), reader.GetDateTime(1), reader.GetDateTime(2)));
                }
            }

            var visits = 0;
            foreach (var (device, first, last) in spans)
            {
                visits += (await ScanAsync(connection, transaction, device, first - options.Value.Lookback,
                    last + options.Value.MaxFixGap, cancellationToken)).Count;
            }

            await JobWatermark.SaveAsync(Job, to, connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new PatrolVisitRunResult(from, to, spans.Count, visits);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    /// <summary>Visits of one shaft (by code), newest first.</summary>
    public async Task<IReadOnlyList<PatrolVisit>> ListAsync(string shaftCode, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT v.shaft_id, s.code, v.device_id, v.person_id, v.arrived_at, v.left_at, v.min_distance_m, v.fixes, v.source
            FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = @code ORDER BY v.arrived_at DESC
            """);
        command.Parameters.AddWithValue("code", shaftCode);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<PatrolVisit>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new PatrolVisit(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3),
                r.GetDateTime(4), r.GetDateTime(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetString(8)));
        }

        return list;
    }

    private async Task<IReadOnlyList<PatrolVisit>> ScanAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long deviceId, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        var settings = options.Value;
        long? personId;
        await using (var widen = new NpgsqlCommand("""
            SELECT least(@from, min(arrived_at)), greatest(@to, max(left_at) + @gap), (SELECT owner_person_id FROM device WHERE id = @device)
            FROM patrol_visit
            WHERE device_id = @device AND source = 'track' AND left_at >= @from - @gap AND arrived_at < @to
            """, connection, transaction))
        {
            widen.Parameters.AddWithValue("device", deviceId);
            widen.Parameters.AddWithValue("from", fromUtc);
            widen.Parameters.AddWithValue("to", toUtc);
            widen.Parameters.AddWithValue("gap", settings.MaxFixGap);
            await using var reader = await widen.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            // Visits already stored that reach into the period are recomputed whole, never cut in two.
            (fromUtc, toUtc) = (reader.GetDateTime(0), reader.GetDateTime(1));
            personId = reader.IsDBNull(2) ? null : reader.GetInt64(2);
        }

        var fixes = new List<(DateTime Time, long? Shaft, string? Code, double Distance)>();
        await using (var read = new NpgsqlCommand(FixesNearShafts, connection, transaction))
        {
            read.Parameters.AddWithValue("device", deviceId);
            read.Parameters.AddWithValue("from", fromUtc);
            read.Parameters.AddWithValue("to", toUtc);
            read.Parameters.AddWithValue("radius", settings.RadiusMetres);
            read.Parameters.AddWithValue("widening", settings.MaxAccuracyWideningMetres);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                fixes.Add(reader.IsDBNull(1)
                    ? (reader.GetDateTime(0), null, null, 0)
                    : (reader.GetDateTime(0), reader.GetInt64(1), reader.GetString(2), reader.GetDouble(3)));
            }
        }

        var visits = VisitGrouping.Group(fixes, settings.MinDwell, settings.MaxFixGap)
            .Select(v => v with { DeviceId = deviceId, PersonId = personId }).ToList();

        await using (var delete = new NpgsqlCommand("""
            DELETE FROM patrol_visit WHERE device_id = @device AND source = 'track' AND arrived_at >= @from AND arrived_at < @to
            """, connection, transaction))
        {
            delete.Parameters.AddWithValue("device", deviceId);
            delete.Parameters.AddWithValue("from", fromUtc);
            delete.Parameters.AddWithValue("to", toUtc);
            await delete.ExecuteNonQueryAsync(ct);
        }

        foreach (var visit in visits)
        {
            await using var insert = new NpgsqlCommand(Insert, connection, transaction);
            insert.Parameters.AddWithValue("shaft", visit.ShaftId);
            insert.Parameters.AddWithValue("device", deviceId);
            insert.Parameters.Add(new NpgsqlParameter("person", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)personId ?? DBNull.Value });
            insert.Parameters.AddWithValue("arrived", visit.ArrivedAt);
            insert.Parameters.AddWithValue("left", visit.LeftAt);
            insert.Parameters.AddWithValue("distance", visit.MinDistanceMetres!.Value);
            insert.Parameters.AddWithValue("fixes", visit.Fixes!.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }

        return visits;
    }
}
