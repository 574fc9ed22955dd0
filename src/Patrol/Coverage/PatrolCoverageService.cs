using GeoMine.Geo.Crs;
using GeoMine.Geo;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Visits;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Coverage;

/// <summary>
/// Patrol coverage of a scope over a period [from, to): per shaft the latest visit, next due and status as of
/// <c>to</c> (<see cref="ShaftPatrolRating"/>, the overdue job's rule) and whether it was visited within its
/// interval throughout the period; from the patrol phones in scope, the track cut by <see cref="TrackSplitter"/>,
/// its geodesic length (PostGIS geography, CGCS2000 ellipsoid), time on patrol, the grid cells the buffered segments
/// touch and, when asked, the area of their union — both in the CGCS2000 3° Gauss-Krüger plane (EPSG:4534-4554)
/// of the tracks' mean longitude, transformed by PostGIS. Whole China days come from the track days the patrol-visits
/// job keeps (<see cref="TrackDayService"/>), the rest from the fixes (see <c>TracksAsync</c>): a town-month reads a few
/// hundred rows, not a million fixes.
/// Devices counted: every patrol phone for the whole county; with a person, that person's phones (owner by
/// registered person or by owner name); with a town or mine, the phones of the people who answer (any role) for
/// the town, the mines or the shafts in scope at some time in the period. Their whole tracks in the period count,
/// not only the part inside the town: the walk between shafts is patrol work too.
/// </summary>
public sealed class PatrolCoverageService(NpgsqlDataSource db, IOptions<CoverageOptions> options, IOptions<PatrolObligationOptions> obligations)
{
    private const string Shafts = """
        SELECT s.code, m.code, t.name, ST_X(s.geom), ST_Y(s.geom),
               (SELECT max(v.arrived_at) FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at < @to),
               rp.name, shaft_clock_start(s.id, @to),
               ARRAY(SELECT v.arrived_at FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at >= @lookback AND v.arrived_at < @to
                     ORDER BY v.arrived_at),
               s.mine_id, s.id, m.closure_status, m.risk_class
        FROM sealed_shaft s
        JOIN closed_mine m ON m.id = s.mine_id
        LEFT JOIN jurisdiction t ON t.id = m.town_id
        LEFT JOIN assignment r ON r.object_kind = 'sealed_shaft' AND r.object_id = s.id AND r.role = 'responsible_person'
                              AND r.valid_from <= @to AND (r.valid_to IS NULL OR r.valid_to > @to)
        LEFT JOIN person rp ON rp.id = r.person_id
        WHERE (@towns::bigint[] IS NULL OR m.town_id = ANY(@towns))
          AND (@mine::bigint IS NULL OR m.id = @mine)
          AND (@person::text IS NULL OR EXISTS (
                SELECT 1 FROM assignment a JOIN person p ON p.id = a.person_id
                WHERE p.name = @person AND a.valid_from < @to AND (a.valid_to IS NULL OR a.valid_to > @from)
                  AND ((a.object_kind = 'sealed_shaft' AND a.object_id = s.id) OR (a.object_kind = 'closed_mine' AND a.object_id = s.mine_id)
                       OR (a.object_kind = 'town' AND a.object_id = m.town_id))))
        ORDER BY s.code
        """;

    private const string Devices = """
        WITH people AS (
            SELECT p.id, p.name FROM person p WHERE p.name = @person
            UNION
            SELECT p.id, p.name FROM assignment a JOIN person p ON p.id = a.person_id
            WHERE @person::text IS NULL AND a.valid_from < @to AND (a.valid_to IS NULL OR a.valid_to > @from)
              AND ((a.object_kind = 'sealed_shaft' AND a.object_id = ANY(@shafts))
                OR (a.object_kind = 'closed_mine' AND a.object_id = ANY(@mines))
                OR (a.object_kind = 'town' AND a.object_id = ANY(@towns)))
        )
        SELECT d.id, d.device_key, coalesce(op.name, d.owner_name)
        FROM device d LEFT JOIN person op ON op.id = d.owner_person_id
        WHERE d.kind = 'patrol_phone'
          AND (@all OR d.owner_person_id IN (SELECT id FROM people)
               OR (d.owner_person_id IS NULL AND (d.owner_name = @person OR d.owner_name IN (SELECT name FROM people))))
        ORDER BY d.device_key
        """;

    // Stored days of the devices: current when computed with the settings in force and not marked stale.
    private const string StoredDays = """
        SELECT t.device_id, t.day, t.track_fixes, t.lon_sum, t.plane_epsg, t.first_fix, t.last_fix,
               t.max_gap_s = @gap AND t.buffer_m = @buffer AND t.cell_m = @cell,
               EXISTS (SELECT 1 FROM patrol_track_stale s WHERE s.device_id = t.device_id AND s.day = t.day)
        FROM patrol_track_day t WHERE t.device_id = ANY(@devices) AND t.day >= @d0 AND t.day <= @d1
        """;

    // Days with fixes received after the patrol-visits job's last run: not yet marked stale, measured from the fixes.
    private const string RecentDays = """
        SELECT DISTINCT device_id, ((fix_time AT TIME ZONE 'UTC') + interval '8 hours')::date FROM position
        WHERE received_at > (SELECT upto FROM job_watermark WHERE job = @job) AND device_id = ANY(@devices) AND fix_time >= @f AND fix_time < @t
        """;

    // Of the device-days without a stored row, those with fixes in their window: one index probe each.
    private const string DaysWithFixes = """
        SELECT n - 1 FROM unnest(@devices, @froms, @tos) WITH ORDINALITY AS u(device, f, t, n)
        WHERE EXISTS (SELECT 1 FROM position p WHERE p.device_id = u.device AND p.fix_time >= u.f AND p.fix_time < u.t)
        """;

    // The period's cells: the stored days' and those measured now, counted once each, by PostgreSQL.
    private const string CountCells = """
        SELECT count(*) FROM (
            SELECT unnest(t.cells) FROM unnest(@devices, @days) AS u(device, day) JOIN patrol_track_day t ON t.device_id = u.device AND t.day = u.day
            UNION
            SELECT unnest(@measured::bigint[])) c
        """;

    private const string StoredSegments = """
        SELECT s.device_id, s.start_at, s.end_at, s.fixes, s.metres
        FROM unnest(@devices, @days) AS u(device, day) JOIN patrol_track_segment s ON s.device_id = u.device AND s.day = u.day
        """;

    // Days measured from the fixes are queued for the job, so the next request takes them from storage.
    private const string Queue = """
        INSERT INTO patrol_track_stale (device_id, day) SELECT * FROM unnest(@devices, @days) ON CONFLICT DO NOTHING
        """;

    private const string ExactArea = $"""
        WITH {TrackDays.SwathsCte}
        SELECT coalesce(ST_Area(ST_Union(g)), 0) FROM (
            SELECT t.swath AS g FROM unnest(@stored_devices, @stored_days) AS u(device, day)
            JOIN patrol_track_day t ON t.device_id = u.device AND t.day = u.day WHERE t.swath IS NOT NULL
            UNION ALL SELECT g FROM swath) x
        """;

    private const string TrackFixes = """
        SELECT device_id, fix_time, ST_X(geom), ST_Y(geom) FROM position
        WHERE device_id = ANY(@devices) AND fix_time >= @from AND fix_time < @to
        ORDER BY device_id, fix_time
        """;

    /// <summary>Coverage of <paramref name="scope"/> over [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    /// <exception cref="CoverageInputException">The period is empty or reversed, or the scope names an unknown town, person or mine.</exception>
    public async Task<PatrolCoverage> ComputeAsync(DateTime fromUtc, DateTime toUtc, CoverageScope scope, CancellationToken cancellationToken = default) =>
        await ComputeAsync(fromUtc, toUtc, scope, CoverageDetail.None, cancellationToken);

    /// <summary>Coverage of <paramref name="scope"/> over [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), with <paramref name="detail"/>.</summary>
    /// <exception cref="CoverageInputException">The period is empty or reversed, or the scope names an unknown town, person or mine.</exception>
    public async Task<PatrolCoverage> ComputeAsync(DateTime fromUtc, DateTime toUtc, CoverageScope scope, CoverageDetail detail, CancellationToken cancellationToken = default)
    {
        if (toUtc <= fromUtc)
        {
            throw new CoverageInputException("to", $"must be after from ({fromUtc:O} … {toUtc:O})");
        }

        var settings = options.Value;
        if (toUtc - fromUtc > settings.MaxPeriod)
        {
            throw new CoverageInputException("to", $"the period is {(toUtc - fromUtc).TotalDays:0.#} days, at most {settings.MaxPeriod.TotalDays:0} (Patrol:Coverage:MaxPeriod)");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var (towns, mine) = await ResolveScopeAsync(connection, scope, cancellationToken);
        var shafts = await ShaftsAsync(connection, fromUtc, toUtc, scope, towns, mine, cancellationToken);
        var devices = await DevicesAsync(connection, fromUtc, toUtc, scope, towns, shafts, cancellationToken);
        var (segments, cells, epsg, areaM2) = await TracksAsync(connection, fromUtc, toUtc, devices, detail, cancellationToken);

        var rows = shafts.Select(s => s.Row).ToList();
        var summary = new CoverageSummary(
            fromUtc, toUtc, rows.Count, rows.Count(r => r.VisitedWithinInterval), devices.Count, segments.Count,
            segments.Sum(s => s.Metres) / 1000, segments.Sum(s => s.Duration.TotalHours), areaM2 / 1e6, cells,
            settings.BufferMetres, settings.CellMetres, epsg);
        return new PatrolCoverage(scope, summary, rows, segments);
    }

    /// <summary>True when a visit younger than <paramref name="interval"/> stood at every instant of
    /// [<paramref name="fromUtc"/>, <paramref name="toUtc"/>): the overdue rule (overdue from last visit + interval on)
    /// never fired in the period. <paramref name="arrivalsUtc"/>: visit arrivals before <paramref name="toUtc"/>,
    /// ascending, including those up to one interval before the period.</summary>
    public static bool VisitedWithinInterval(IReadOnlyList<DateTime> arrivalsUtc, DateTime fromUtc, DateTime toUtc, TimeSpan interval)
    {
        var coveredUntil = DateTime.MinValue;
        foreach (var arrival in arrivalsUtc)
        {
            if (arrival > fromUtc && arrival > coveredUntil)
            {
                return false; // [max(from, coveredUntil), arrival) had no visit younger than the interval
            }

            coveredUntil = arrival + interval;
        }

        return coveredUntil >= toUtc;
    }

    private static async Task<(long[]? Towns, long? Mine)> ResolveScopeAsync(NpgsqlConnection connection, CoverageScope scope, CancellationToken ct)
    {
        long[]? towns = null;
        long? mine = null;
        if (scope.Town is { } town)
        {
            await using var command = new NpgsqlCommand("SELECT id FROM jurisdiction WHERE level = 'town' AND (name = @t OR code = @t)", connection);
            command.Parameters.AddWithValue("t", town);
            towns = await ReadAsync(command, r => r.GetInt64(0), ct) is { Count: > 0 } ids
                ? [.. ids]
                : throw new CoverageInputException("town", $"no town named or coded '{town}'");
        }

        if (scope.Mine is { } code)
        {
            await using var command = new NpgsqlCommand("SELECT id FROM closed_mine WHERE code = @c", connection);
            command.Parameters.AddWithValue("c", code);
            mine = (long?)await command.ExecuteScalarAsync(ct) ?? throw new CoverageInputException("mine", $"no closed mine coded '{code}'");
        }

        if (scope.Person is { } person)
        {
            await using var command = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM person WHERE name = @p) OR EXISTS (SELECT 1 FROM device WHERE owner_name = @p)", connection);
            command.Parameters.AddWithValue("p", person);
            if (!(bool)(await command.ExecuteScalarAsync(ct))!)
            {
                throw new CoverageInputException("person", $"no person or device owner named '{person}'");
            }
        }

        return (towns, mine);
    }

    private async Task<List<(long Id, long MineId, ShaftCoverage Row)>> ShaftsAsync(
        NpgsqlConnection connection, DateTime from, DateTime to, CoverageScope scope, long[]? towns, long? mine, CancellationToken ct)
    {
        var rules = obligations.Value;
        var longest = rules.LongestInterval;
        await using var command = new NpgsqlCommand(Shafts, connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("lookback", from - longest);
        command.Parameters.Add(new NpgsqlParameter("towns", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = (object?)towns ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("mine", NpgsqlDbType.Bigint) { Value = (object?)mine ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("person", NpgsqlDbType.Text) { Value = (object?)scope.Person ?? DBNull.Value });
        return await ReadAsync(command, r =>
        {
            var code = r.GetString(0);
            var lastVisit = r.IsDBNull(5) ? (DateTime?)null : r.GetDateTime(5);
            var arrivals = r.GetFieldValue<DateTime[]>(8);
            var interval = rules.IntervalOf(code, r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12));
            var rating = ShaftPatrolRating.Of(interval, lastVisit, r.IsDBNull(7) ? null : r.GetDateTime(7), to, rules);
            return (r.GetInt64(10), r.GetInt64(9), new ShaftCoverage(
                code, r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetDouble(3), r.GetDouble(4),
                r.IsDBNull(6) ? null : r.GetString(6), rating, lastVisit, arrivals.Count(a => a >= from), interval,
                VisitedWithinInterval(arrivals, from, to, interval)));
        }, ct);
    }

    private static async Task<List<(long Id, string Key, string? Person)>> DevicesAsync(
        NpgsqlConnection connection, DateTime from, DateTime to, CoverageScope scope, long[]? towns,
        List<(long Id, long MineId, ShaftCoverage Row)> shafts, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Devices, connection);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("all", scope.IsAll);
        command.Parameters.Add(new NpgsqlParameter("person", NpgsqlDbType.Text) { Value = (object?)scope.Person ?? DBNull.Value });
        command.Parameters.AddWithValue("shafts", shafts.Select(s => s.Id).ToArray());
        command.Parameters.AddWithValue("mines", shafts.Select(s => s.MineId).Distinct().ToArray());
        command.Parameters.AddWithValue("towns", towns ?? []);
        return await ReadAsync(command, r => (r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)), ct);
    }

    /// <summary>The devices' segments, cells and plane over the period, China day by China day: from <c>patrol_track_day</c>
    /// where a row serves (current settings, not stale, nothing received since the job's last run, all its fixes within the
    /// period), else (the period cuts the day's fixes; the day is stale, changed since the job's last run, never stored, stored
    /// with other settings or in another plane than the period's) measured from the fixes in the period by the same code the
    /// job uses (<see cref="TrackDays"/>). Equal, day for day, to measuring the whole period from the fixes. Days never stored
    /// or stored with other settings are queued for the job.</summary>
    private async Task<(List<TrackSegment> Segments, int Cells, int? Epsg, double? AreaM2)> TracksAsync(
        NpgsqlConnection connection, DateTime from, DateTime to, List<(long Id, string Key, string? Person)> devices, CoverageDetail detail, CancellationToken ct)
    {
        var settings = options.Value;
        if (devices.Count == 0)
        {
            return ([], 0, null, detail.HasFlag(CoverageDetail.ExactArea) ? 0 : null);
        }

        var ids = devices.Select(d => d.Id).ToArray();
        var (d0, d1) = (ChinaTime.Day(from), ChinaTime.Day(to.AddTicks(-1)));
        TrackDays.Window WindowOf((long Device, DateOnly Day) k)
        {
            var day = TrackDays.Window.OfDay(k.Device, k.Day);
            return day with { From = Max(from, day.From), To = Min(to, day.To) };
        }

        // A stored day serves when current, not stale, unchanged since the job's last run and all its fixes lie in the period.
        var stored = new Dictionary<(long Device, DateOnly Day), (int Fixes, double LonSum, int? Epsg)>();
        var live = new HashSet<(long Device, DateOnly Day)>();
        var queue = new List<(long Device, DateOnly Day)>();
        await using (var command = new NpgsqlCommand(StoredDays, connection))
        {
            command.Parameters.AddWithValue("devices", ids);
            command.Parameters.AddWithValue("d0", d0);
            command.Parameters.AddWithValue("d1", d1);
            command.Parameters.AddWithValue("gap", settings.MaxFixGap.TotalSeconds);
            command.Parameters.AddWithValue("buffer", settings.BufferMetres);
            command.Parameters.AddWithValue("cell", settings.CellMetres);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetInt64(0), r.GetFieldValue<DateOnly>(1));
                var (current, stale) = (r.GetBoolean(7), r.GetBoolean(8));
                if (current && !stale && r.GetDateTime(5) >= from && r.GetDateTime(6) < to)
                {
                    stored[key] = (r.GetInt32(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetInt32(4));
                }
                else
                {
                    live.Add(key);
                    if (!current)
                    {
                        queue.Add(key);
                    }
                }
            }
        }

        await using (var command = new NpgsqlCommand(RecentDays, connection))
        {
            command.Parameters.AddWithValue("job", PatrolVisitService.Job);
            command.Parameters.AddWithValue("devices", ids);
            command.Parameters.AddWithValue("f", from);
            command.Parameters.AddWithValue("t", to);
            foreach (var key in await ReadAsync(command, r => (r.GetInt64(0), r.GetFieldValue<DateOnly>(1)), ct))
            {
                stored.Remove(key);
                live.Add(key);
            }
        }
        var unknown = ids.SelectMany(id => Days(d0, d1).Select(day => (id, day))).Where(k => !stored.ContainsKey(k) && !live.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            await using var command = new NpgsqlCommand(DaysWithFixes, connection);
            var windowsOfUnknown = unknown.Select(WindowOf).ToList();
            command.Parameters.AddWithValue("devices", windowsOfUnknown.Select(w => w.Device).ToArray());
            command.Parameters.AddWithValue("froms", windowsOfUnknown.Select(w => w.From).ToArray());
            command.Parameters.AddWithValue("tos", windowsOfUnknown.Select(w => w.To).ToArray());
            var withFixes = (await ReadAsync(command, r => unknown[(int)r.GetInt64(0)], ct)).ToList();
            live.UnionWith(withFixes);
            queue.AddRange(withFixes);
        }
        var windows = live.Select(WindowOf).ToList();
        var measured = await TrackDays.ReadAsync(connection, null, windows, settings.MaxFixGap, ct);
        var trackFixes = stored.Values.Sum(s => s.Fixes) + measured.Sum(d => d.TrackFixes);
        int? epsg = trackFixes == 0 ? null : TrackDays.PlaneOf(stored.Values.Sum(s => s.LonSum) + measured.Sum(d => d.LonSum), trackFixes);

        // Days stored in another plane than the period's are measured again in its plane.
        var otherPlane = stored.Where(s => s.Value.Epsg is { } e && e != epsg).Select(s => s.Key).ToList();
        if (otherPlane.Count > 0)
        {
            otherPlane.ForEach(k => stored.Remove(k));
            measured.AddRange(await TrackDays.ReadAsync(connection, null, [.. otherPlane.Select(WindowOf)], settings.MaxFixGap, ct));
        }
        var cells = 0;
        if (epsg is { } plane)
        {
            await using var command = new NpgsqlCommand(CountCells, connection);
            command.Parameters.AddWithValue("devices", stored.Keys.Select(k => k.Device).ToArray());
            command.Parameters.AddWithValue("days", stored.Keys.Select(k => k.Day).ToArray());
            command.Parameters.AddWithValue("measured", (await TrackDays.CellsAsync(connection, measured, plane, settings, ct)).ToArray());
            cells = (int)(long)(await command.ExecuteScalarAsync(ct))!;
        }

        var keys = devices.ToDictionary(d => d.Id);
        var segments = measured.SelectMany(d => d.Segments.Select(s => new TrackSegment(
            keys[d.Device].Key, keys[d.Device].Person, s.Fixes[0].TimeUtc, s.Fixes[^1].TimeUtc, s.Fixes.Count, s.Metres) { Fixes = s.Fixes })).ToList();
        if (stored.Count > 0)
        {
            await using var command = new NpgsqlCommand(StoredSegments, connection);
            command.Parameters.AddWithValue("devices", stored.Keys.Select(k => k.Device).ToArray());
            command.Parameters.AddWithValue("days", stored.Keys.Select(k => k.Day).ToArray());
            segments.AddRange(await ReadAsync(command, r => new TrackSegment(
                keys[r.GetInt64(0)].Key, keys[r.GetInt64(0)].Person, r.GetDateTime(1), r.GetDateTime(2), r.GetInt32(3), r.GetDouble(4)), ct));
        }
        segments = [.. segments.OrderBy(s => s.DeviceKey, StringComparer.Ordinal).ThenBy(s => s.StartUtc)];
        if (detail.HasFlag(CoverageDetail.Tracks))
        {
            segments = await WithFixesAsync(connection, from, to, devices, segments, ct);
        }
        else
        {
            segments = [.. segments.Select(s => s with { Fixes = [] })];
        }

        double? area = null;
        if (detail.HasFlag(CoverageDetail.ExactArea))
        {
            await using var command = new NpgsqlCommand(ExactArea, connection);
            command.Parameters.AddWithValue("stored_devices", stored.Keys.Select(k => k.Device).ToArray());
            command.Parameters.AddWithValue("stored_days", stored.Keys.Select(k => k.Day).ToArray());
            TrackDays.AddSwathParameters(command, measured, _ => epsg ?? 0, settings);
            area = (double)(await command.ExecuteScalarAsync(ct))!;
        }

        queue.AddRange(otherPlane);
        if (queue.Count > 0)
        {
            await using var command = new NpgsqlCommand(Queue, connection);
            command.Parameters.AddWithValue("devices", queue.Select(k => k.Device).ToArray());
            command.Parameters.AddWithValue("days", queue.Select(k => k.Day).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }

        return (segments, cells, epsg, area);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>The segments with their fixes: every fix of the devices in the period, each given to the segment of its device
    /// whose first and last fix enclose it (segments are runs of consecutive fixes, so those are exactly its own).</summary>
    private static async Task<List<TrackSegment>> WithFixesAsync(
        NpgsqlConnection connection, DateTime from, DateTime to, List<(long Id, string Key, string? Person)> devices, List<TrackSegment> segments, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(TrackFixes, connection);
        command.Parameters.AddWithValue("devices", devices.Select(d => d.Id).ToArray());
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var idOf = devices.ToDictionary(d => d.Key, d => d.Id);
        var byDevice = (await ReadAsync(command, r => (Device: r.GetInt64(0), Fix: new TrackFix(r.GetDateTime(1), r.GetDouble(2), r.GetDouble(3))), ct))
            .GroupBy(x => x.Device).ToDictionary(g => g.Key, g => g.Select(x => x.Fix).ToList());
        return [.. segments.Select(s =>
        {
            var fixes = byDevice.GetValueOrDefault(idOf[s.DeviceKey]) ?? [];
            var first = FirstAtOrAfter(fixes, s.StartUtc);
            var end = FirstAtOrAfter(fixes, s.EndUtc.AddTicks(1));
            return s with { Fixes = fixes.GetRange(first, end - first) };
        })];
    }

    private static int FirstAtOrAfter(List<TrackFix> fixes, DateTime time)
    {
        var (lo, hi) = (0, fixes.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = fixes[mid].TimeUtc < time ? (mid + 1, hi) : (lo, mid);
        }

        return lo;
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct))
        {
            list.Add(read(r));
        }

        return list;
    }
}
