using GeoMine.Geo.Geofence;
using GeoMine.Patrol.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Visits;

/// <summary>
/// Finds patrol visits (巡查到位) in patrol phones' tracks. Distances are geodesic, computed by PostGIS
/// on the CGCS2000 ellipsoid (<c>ST_DWithin</c>/<c>ST_Distance</c> on geography); the grouping of
/// consecutive fixes into visits is done in memory. A device's period is always recomputed whole: its
/// track visits in the period are deleted and found again, so rescanning is idempotent.
/// The job form (<see cref="RunAsync"/>) rescans, for each patrol phone with positions received since the last run,
/// the fix-time span of those positions: from where its previous scan left a stop possibly unfinished
/// (<c>patrol_scan_state</c>) when the new fixes follow the ones scanned, else from <see cref="VisitOptions.Lookback"/>
/// before the earliest new fix. Every phone of a run is scanned by one query, and its visits replaced by one
/// statement each for delete and insert, so a run costs a handful of statements whatever the number of phones.
/// </summary>
public sealed class PatrolVisitService(NpgsqlDataSource db, IOptions<VisitOptions> options)
{
    /// <summary>Job name and watermark key.</summary>
    public const string Job = "patrol-visits";

    // A window is widened to cover whole any stored visit reaching into it. OFFSET 0 keeps the lateral a per-device index
    // scan (patrol_visit_device_left_idx) instead of a join over every visit ever stored.
    private const string Widen = """
        SELECT u.device, least(u.f, min(v.arrived_at)), greatest(u.t, max(v.left_at) + @gap)
        FROM unnest(@devices, @froms, @tos) AS u(device, f, t)
        LEFT JOIN LATERAL (
            SELECT arrived_at, left_at FROM patrol_visit v
            WHERE v.device_id = u.device AND v.left_at >= u.f - @gap AND v.source = 'track' OFFSET 0
        ) v ON v.arrived_at < u.t
        GROUP BY u.device, u.f, u.t
        """;

    // Per device a range scan of the position key (OFFSET 0 keeps it one, however the planner estimates the windows).
    private const string Fixes = """
        SELECT u.device, p.fix_time, ST_X(p.geom), ST_Y(p.geom), p.accuracy_m
        FROM unnest(@devices, @froms, @tos) AS u(device, f, t)
        CROSS JOIN LATERAL (
            SELECT fix_time, geom, accuracy_m FROM position p WHERE p.device_id = u.device AND p.fix_time >= u.f AND p.fix_time < u.t OFFSET 0
        ) p
        ORDER BY u.device, p.fix_time
        """;

    // The shafts within reach of each device's fixes: one index probe per device (its fixes' box, widened by the reach).
    private const string ShaftsInBoxes = """
        SELECT b.device, s.id, s.code, ST_X(s.geom), ST_Y(s.geom)
        FROM unnest(@devices, @x0, @y0, @x1, @y1) AS b(device, x0, y0, x1, y1)
        JOIN sealed_shaft s ON s.geom && ST_MakeEnvelope(b.x0, b.y0, b.x1, b.y1, 4490)
        ORDER BY b.device, s.id
        """;

    private const string NewPositions = """
        SELECT n.device_id, n.first, n.last, d.owner_person_id, st.scanned_upto, st.resume_from
        FROM (SELECT p.device_id, min(p.fix_time) AS first, max(p.fix_time) AS last FROM position p
              WHERE p.received_at > @from AND p.received_at <= @to GROUP BY p.device_id) n
        JOIN device d ON d.id = n.device_id AND d.kind = 'patrol_phone'
        LEFT JOIN patrol_scan_state st ON st.device_id = n.device_id
        """;

    private const string Replace = """
        DELETE FROM patrol_visit v USING unnest(@devices, @froms, @tos) AS u(device, f, t)
        WHERE v.device_id = u.device AND v.source = 'track' AND v.arrived_at >= u.f AND v.arrived_at < u.t
          AND v.left_at >= u.f; -- implied by arrived_at ≥ f; lets patrol_visit_device_left_idx find them
        INSERT INTO patrol_visit (shaft_id, device_id, person_id, arrived_at, left_at, min_distance_m, fixes, source)
        SELECT shaft, device, person, arrived, left_at, distance, fixes, 'track'
        FROM unnest(@v_shafts, @v_devices, @v_persons, @v_arrived, @v_left, @v_distances, @v_fixes)
             AS v(shaft, device, person, arrived, left_at, distance, fixes);
        """;

    // The China days of the new fixes are re-measured by the job's second step (TrackDayService). DO UPDATE, not DO NOTHING:
    // a mark that step holds (FOR UPDATE) and is about to delete is waited for and written again.
    private const string MarkDays = """
        INSERT INTO patrol_track_stale (device_id, day)
        SELECT DISTINCT p.device_id, ((p.fix_time AT TIME ZONE 'UTC') + interval '8 hours')::date
        FROM position p JOIN device d ON d.id = p.device_id AND d.kind = 'patrol_phone'
        WHERE p.received_at > @from AND p.received_at <= @to
        ON CONFLICT (device_id, day) DO UPDATE SET marked_at = EXCLUDED.marked_at
        """;

    // A scan that did not reach the fixes already scanned (a late, older batch) leaves the state as it was.
    private const string SaveScanState = """
        INSERT INTO patrol_scan_state AS st (device_id, scanned_upto, resume_from)
        SELECT * FROM unnest(@devices, @uptos, @resumes)
        ON CONFLICT (device_id) DO UPDATE SET scanned_upto = EXCLUDED.scanned_upto, resume_from = EXCLUDED.resume_from
        WHERE EXCLUDED.scanned_upto >= st.scanned_upto
        """;

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>Recomputes the track visits of device <paramref name="deviceId"/> whose fixes lie in
    /// [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), widened to cover whole any visit already stored
    /// that reaches into the period. Returns the visits now stored for that span.</summary>
    public async Task<IReadOnlyList<PatrolVisit>> ScanDeviceAsync(long deviceId, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var owner = new NpgsqlCommand("SELECT owner_person_id FROM device WHERE id = @device", connection, transaction);
        owner.Parameters.AddWithValue("device", deviceId);
        var person = await owner.ExecuteScalarAsync(cancellationToken) as long?;
        var scans = await ScanAsync(connection, transaction, [new Window(deviceId, person, fromUtc, toUtc)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return scans.Single().Visits;
    }

    /// <summary>Runs the job once as of <paramref name="nowUtc"/>.</summary>
    public async Task<PatrolVisitRunResult> RunAsync(DateTime nowUtc, CancellationToken cancellationToken = default)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var from = await JobWatermark.LockAsync(Job, connection, transaction, cancellationToken);
            var dbNow = await JobWatermark.DatabaseNowAsync(connection, transaction, cancellationToken);
            var to = (nowUtc < dbNow ? nowUtc : dbNow) - settings.CommitLag;
            if (to <= from)
            {
                return new PatrolVisitRunResult(from, from, 0, 0);
            }

            var windows = new List<Window>();
            await using (var command = new NpgsqlCommand(NewPositions, connection, transaction))
            {
                command.Parameters.AddWithValue("from", from);
                command.Parameters.AddWithValue("to", to);
                await using var r = await command.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    var (first, last) = (r.GetDateTime(1), r.GetDateTime(2));
                    var start = !r.IsDBNull(4) && first > r.GetDateTime(4) ? r.GetDateTime(5) : first - settings.Lookback;
                    windows.Add(new Window(r.GetInt64(0), r.IsDBNull(3) ? null : r.GetInt64(3), start, last + settings.MaxFixGap));
                }
            }

            var scans = await ScanAsync(connection, transaction, windows, cancellationToken);
            await using (var mark = new NpgsqlCommand(MarkDays, connection, transaction))
            {
                mark.Parameters.AddWithValue("from", from);
                mark.Parameters.AddWithValue("to", to);
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var save = new NpgsqlCommand(SaveScanState, connection, transaction))
            {
                var scanned = scans.Where(s => s.ScannedUpto is not null).ToList();
                save.Parameters.AddWithValue("devices", scanned.Select(s => s.Device).ToArray());
                save.Parameters.AddWithValue("uptos", scanned.Select(s => s.ScannedUpto!.Value).ToArray());
                save.Parameters.AddWithValue("resumes", scanned.Select(s => s.ResumeFrom!.Value).ToArray());
                await save.ExecuteNonQueryAsync(cancellationToken);
            }

            await JobWatermark.SaveAsync(Job, to, connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new PatrolVisitRunResult(from, to, windows.Count, scans.Sum(s => s.Visits.Count));
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

    /// <summary>Finds the visits in every window (one query to widen, one to read), replaces the stored track visits of the widened windows
    /// (one statement) and returns, per device, the visits and where its next scan must resume.</summary>
    private async Task<List<Scan>> ScanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Window> windows, CancellationToken ct)
    {
        var settings = options.Value;
        var widened = new Dictionary<long, (DateTime From, DateTime To)>();
        await NoJitAsync(connection, transaction, ct);
        await using (var widen = new NpgsqlCommand(Widen, connection, transaction))
        {
            widen.Parameters.AddWithValue("devices", windows.Select(w => w.Device).ToArray());
            widen.Parameters.AddWithValue("froms", windows.Select(w => w.From).ToArray());
            widen.Parameters.AddWithValue("tos", windows.Select(w => w.To).ToArray());
            widen.Parameters.AddWithValue("gap", settings.MaxFixGap);
            await using var r = await widen.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                widened[r.GetInt64(0)] = (r.GetDateTime(1), r.GetDateTime(2));
            }
        }

        var near = await FixesNearShaftsAsync(connection, transaction, windows.Select(w => (w.Device, widened[w.Device].From, widened[w.Device].To)).ToList(), ct);
        var scans = windows.Select(w =>
        {
            var rows = near.GetValueOrDefault(w.Device) ?? [];
            var visits = VisitGrouping.Group(rows, settings.MinDwell, settings.MaxFixGap)
                .Select(v => v with { DeviceId = w.Device, PersonId = w.Person }).ToList();
            return new Scan(w.Device, visits, rows.Count == 0 ? null : rows[^1].Time, ResumeFrom(rows, settings.MaxFixGap));
        }).ToList();

        var all = scans.SelectMany(s => s.Visits).ToList();
        await using var replace = new NpgsqlCommand(Replace, connection, transaction);
        replace.Parameters.AddWithValue("devices", windows.Select(w => w.Device).ToArray());
        replace.Parameters.AddWithValue("froms", windows.Select(w => widened[w.Device].From).ToArray());
        replace.Parameters.AddWithValue("tos", windows.Select(w => widened[w.Device].To).ToArray());
        replace.Parameters.AddWithValue("v_shafts", all.Select(v => v.ShaftId).ToArray());
        replace.Parameters.AddWithValue("v_devices", all.Select(v => v.DeviceId!.Value).ToArray());
        replace.Parameters.Add(new NpgsqlParameter("v_persons", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = all.Select(v => v.PersonId).ToArray() });
        replace.Parameters.AddWithValue("v_arrived", all.Select(v => v.ArrivedAt).ToArray());
        replace.Parameters.AddWithValue("v_left", all.Select(v => v.LeftAt).ToArray());
        replace.Parameters.AddWithValue("v_distances", all.Select(v => v.MinDistanceMetres!.Value).ToArray());
        replace.Parameters.AddWithValue("v_fixes", all.Select(v => v.Fixes!.Value).ToArray());
        await replace.ExecuteNonQueryAsync(ct);
        return scans;
    }

    /// <summary>Each window's fixes in time order, each paired with every shaft within the visit radius (widened by the fix's
    /// accuracy, capped), by shaft id; a fix near no shaft once with none. The fixes and the shafts around them are read from
    /// PostGIS (two statements for all windows); the distances are computed here, on the CGCS2000 ellipsoid in the local plane
    /// at the pair's mean latitude (<see cref="LocalMetricPlane.ShortDistanceMetres"/>, within a millimetre of PostGIS's
    /// geodesic at these distances) — a PostGIS probe per fix cost 15 µs, 0.6 s for an incremental run's 40 000 fixes.</summary>
    private async Task<Dictionary<long, List<(DateTime Time, long? Shaft, string? Code, double Distance)>>> FixesNearShaftsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(long Device, DateTime From, DateTime To)> windows, CancellationToken ct)
    {
        var settings = options.Value;
        var points = new Dictionary<long, List<(DateTime Time, double Lon, double Lat, double? Accuracy)>>();
        await using (var read = new NpgsqlCommand(Fixes, connection, transaction))
        {
            read.Parameters.AddWithValue("devices", windows.Select(w => w.Device).ToArray());
            read.Parameters.AddWithValue("froms", windows.Select(w => w.From).ToArray());
            read.Parameters.AddWithValue("tos", windows.Select(w => w.To).ToArray());
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var device = r.GetInt64(0);
                if (!points.TryGetValue(device, out var list))
                {
                    points[device] = list = [];
                }

                list.Add((r.GetDateTime(1), r.GetDouble(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetDouble(4)));
            }
        }

        // Reach in degrees: the largest reach (radius + widening) in latitude anywhere (fewest metres per degree at the
        // equator) and in longitude up to 55°N, the north of China's mining areas (Heilongjiang reaches 53.5°N).
        var reach = settings.RadiusMetres + settings.MaxAccuracyWideningMetres;
        var (reachLon, reachLat) = (reach / LocalMetricPlane.MetresPerDegree(55).PerDegreeLongitude, reach / LocalMetricPlane.MetresPerDegree(0).PerDegreeLatitude);
        var boxes = points.Select(p => (Device: p.Key, X0: p.Value.Min(f => f.Lon) - reachLon, Y0: p.Value.Min(f => f.Lat) - reachLat,
            X1: p.Value.Max(f => f.Lon) + reachLon, Y1: p.Value.Max(f => f.Lat) + reachLat)).ToList();
        var shafts = points.Keys.ToDictionary(d => d, _ => new List<(long Id, string Code, double Lon, double Lat)>());
        await using (var around = new NpgsqlCommand(ShaftsInBoxes, connection, transaction))
        {
            around.Parameters.AddWithValue("devices", boxes.Select(b => b.Device).ToArray());
            around.Parameters.AddWithValue("x0", boxes.Select(b => b.X0).ToArray());
            around.Parameters.AddWithValue("y0", boxes.Select(b => b.Y0).ToArray());
            around.Parameters.AddWithValue("x1", boxes.Select(b => b.X1).ToArray());
            around.Parameters.AddWithValue("y1", boxes.Select(b => b.Y1).ToArray());
            await using var r = await around.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                shafts[r.GetInt64(0)].Add((r.GetInt64(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4)));
            }
        }

        var near = new Dictionary<long, List<(DateTime Time, long? Shaft, string? Code, double Distance)>>(points.Count);
        foreach (var (device, fixes) in points)
        {
            var candidates = shafts[device];
            var rows = new List<(DateTime, long?, string?, double)>(fixes.Count);
            foreach (var fix in fixes)
            {
                var within = settings.RadiusMetres + Math.Min(fix.Accuracy ?? 0, settings.MaxAccuracyWideningMetres);
                var found = false;
                foreach (var shaft in candidates)
                {
                    if (Math.Abs(shaft.Lat - fix.Lat) > reachLat || Math.Abs(shaft.Lon - fix.Lon) > reachLon)
                    {
                        continue;
                    }

                    var distance = LocalMetricPlane.ShortDistanceMetres(fix.Lon, fix.Lat, shaft.Lon, shaft.Lat);
                    if (distance <= within)
                    {
                        rows.Add((fix.Time, shaft.Id, shaft.Code, distance));
                        found = true;
                    }
                }

                if (!found)
                {
                    rows.Add((fix.Time, null, null, 0));
                }
            }

            near[device] = rows;
        }

        return near;
    }

    /// <summary>Turns PostgreSQL's JIT off for the transaction: the geodesic lateral join is estimated so costly that JIT
    /// compiles it, which took 0.4 s — ten times the query itself on an incremental run.</summary>
    internal static async Task NoJitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SET LOCAL jit = off", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first fix of the trailing run of fixes near some shaft, none further apart than the gap: a stop
    /// that may continue in fixes not yet received starts no earlier. The last fix when it was near no shaft.</summary>
    private static DateTime? ResumeFrom(List<(DateTime Time, long? Shaft, string? Code, double Distance)> rows, TimeSpan maxGap)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var resume = rows[^1].Time;
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            if (rows[i].Shaft is null || resume - rows[i].Time > maxGap)
            {
                break;
            }

            resume = rows[i].Time;
        }

        return resume;
    }


    private sealed record Window(long Device, long? Person, DateTime From, DateTime To);

    private sealed record Scan(long Device, List<PatrolVisit> Visits, DateTime? ScannedUpto, DateTime? ResumeFrom);
}
