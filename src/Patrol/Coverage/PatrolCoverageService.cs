using System.Globalization;
using System.Text;
using GeoMine.Geo.Crs;
using GeoMine.Patrol.Obligations;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Coverage;

/// <summary>
/// Patrol coverage of a scope over a period [from, to): per shaft the latest visit, next due and status as of
/// <c>to</c> (<see cref="ShaftPatrolRating"/>, the overdue job's rule) and whether it was visited within its
/// interval throughout the period; from the patrol phones in scope, the track cut by <see cref="TrackSplitter"/>,
/// its geodesic length (PostGIS geography, CGCS2000 ellipsoid), time on patrol, the area of the union of the
/// buffered segments and the grid cells it touches — both in the CGCS2000 3° Gauss-Krüger plane (EPSG:4534-4554)
/// of the tracks' mean longitude, transformed by PostGIS.
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

    private const string Fixes = """
        SELECT device_id, fix_time, ST_X(geom), ST_Y(geom) FROM position
        WHERE device_id = ANY(@devices) AND fix_time >= @from AND fix_time < @to
        ORDER BY device_id, fix_time
        """;

    private const string Lengths = """
        SELECT ST_Length(geography(ST_GeomFromText(w, 4490))) FROM unnest(@lines) WITH ORDINALITY AS u(w, n) ORDER BY n
        """;

    // ST_SquareGrid cells are aligned on the plane's origin; a cell counts when it touches the swath.
    private const string Swath = """
        WITH swath AS (
            SELECT ST_Union(ST_Buffer(ST_Transform(ST_GeomFromText(w, 4490), @epsg), @buffer)) AS g FROM unnest(@lines) AS u(w)
        )
        SELECT ST_Area(g), (SELECT count(*) FROM ST_SquareGrid(@cell, g) c WHERE ST_Intersects(c.geom, g)) FROM swath
        """;

    /// <summary>Coverage of <paramref name="scope"/> over [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    /// <exception cref="CoverageInputException">The period is empty or reversed, or the scope names an unknown town, person or mine.</exception>
    public async Task<PatrolCoverage> ComputeAsync(DateTime fromUtc, DateTime toUtc, CoverageScope scope, CancellationToken cancellationToken = default)
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
        var segments = await SegmentsAsync(connection, fromUtc, toUtc, devices, settings.MaxFixGap, cancellationToken);
        var (areaM2, cells, epsg) = await SwathAsync(connection, segments, settings, cancellationToken);

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

    private static async Task<List<TrackSegment>> SegmentsAsync(
        NpgsqlConnection connection, DateTime from, DateTime to, List<(long Id, string Key, string? Person)> devices, TimeSpan maxGap, CancellationToken ct)
    {
        var byDevice = new Dictionary<long, List<TrackFix>>();
        await using (var command = new NpgsqlCommand(Fixes, connection))
        {
            command.Parameters.AddWithValue("devices", devices.Select(d => d.Id).ToArray());
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt64(0);
                if (!byDevice.TryGetValue(id, out var fixes))
                {
                    byDevice[id] = fixes = [];
                }

                fixes.Add(new TrackFix(r.GetDateTime(1), r.GetDouble(2), r.GetDouble(3)));
            }
        }

        var pieces = devices
            .SelectMany(d => TrackSplitter.Split(byDevice.GetValueOrDefault(d.Id) ?? [], maxGap).Select(fixes => (d.Key, d.Person, Fixes: fixes)))
            .ToList();
        if (pieces.Count == 0)
        {
            return [];
        }

        await using var lengths = new NpgsqlCommand(Lengths, connection);
        lengths.Parameters.AddWithValue("lines", pieces.Select(p => Wkt(p.Fixes)).ToArray());
        var metres = await ReadAsync(lengths, r => r.GetDouble(0), ct);
        return [.. pieces.Select((p, i) => new TrackSegment(p.Key, p.Person, p.Fixes, metres[i]))];
    }

    private static async Task<(double AreaM2, int Cells, int? Epsg)> SwathAsync(
        NpgsqlConnection connection, List<TrackSegment> segments, CoverageOptions settings, CancellationToken ct)
    {
        if (segments.Count == 0)
        {
            return (0, 0, null);
        }

        var epsg = GaussKrugerZone.FromLongitude(segments.SelectMany(s => s.Fixes).Average(f => f.Longitude)).CentralMeridianEpsg;
        await using var command = new NpgsqlCommand(Swath, connection);
        command.Parameters.AddWithValue("lines", segments.Select(s => Wkt(s.Fixes)).ToArray());
        command.Parameters.AddWithValue("epsg", epsg);
        command.Parameters.AddWithValue("buffer", settings.BufferMetres);
        command.Parameters.AddWithValue("cell", settings.CellMetres);
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetDouble(0), (int)r.GetInt64(1), epsg);
    }

    private static string Wkt(IReadOnlyList<TrackFix> fixes)
    {
        var text = new StringBuilder("LINESTRING(");
        for (var i = 0; i < fixes.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(fixes[i].Longitude.ToString("R", CultureInfo.InvariantCulture))
                .Append(' ').Append(fixes[i].Latitude.ToString("R", CultureInfo.InvariantCulture));
        }

        return text.Append(')').ToString();
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
