using System.Globalization;
using System.Text;
using GeoMine.Geo;
using GeoMine.Geo.Crs;
using Npgsql;

namespace GeoMine.Patrol.Coverage;

/// <summary>
/// Patrol phones' tracks measured per China calendar day, one definition for the two places that measure them: the
/// patrol-visits job, which stores whole days (<see cref="TrackDayService"/>), and coverage, which measures from the fixes
/// the days it cannot take from storage and the partial days at a period's ends. A day's track is cut by
/// <see cref="TrackSplitter"/>; segment lengths are geodesic (PostGIS geography, CGCS2000 ellipsoid); the swath is the
/// union of the segments buffered in a CGCS2000 3° Gauss-Krüger plane, and its cells the ST_SquareGrid cells of that
/// plane it touches. Cells of the same side in the same plane from different days are the same cells, so the cells of a
/// period are the union of its days' cells; a cell is keyed <c>i · 2³² + j</c>.
/// </summary>
internal static class TrackDays
{
    /// <summary>One device's fixes in [<paramref name="From"/>, <paramref name="To"/>).</summary>
    public readonly record struct Window(long Device, DateTime From, DateTime To)
    {
        /// <summary>The whole China day <paramref name="day"/> of <paramref name="device"/>.</summary>
        public static Window OfDay(long device, DateOnly day) => new(device, ChinaTime.StartOf(day), ChinaTime.StartOf(day.AddDays(1)));
    }

    /// <summary>One device's segments within one China day (or the part of it that was read): <paramref name="Fixes"/> fixes
    /// read, from <paramref name="FirstFix"/> to <paramref name="LastFix"/> (UTC).</summary>
    public sealed record Day(long Device, DateOnly Date, int Fixes, DateTime FirstFix, DateTime LastFix, List<(IReadOnlyList<TrackFix> Fixes, double Metres)> Segments)
    {
        /// <summary>Fixes within segments.</summary>
        public int TrackFixes => Segments.Sum(s => s.Fixes.Count);

        /// <summary>Sum of their longitudes, degrees.</summary>
        public double LonSum => Segments.Sum(s => s.Fixes.Sum(f => f.Longitude));
    }

    // Per window a range scan of the position key (OFFSET 0 keeps it one, however the planner estimates the windows).
    private const string Fixes = """
        SELECT u.device, p.fix_time, ST_X(p.geom), ST_Y(p.geom)
        FROM unnest(@devices, @froms, @tos) AS u(device, f, t)
        CROSS JOIN LATERAL (
            SELECT fix_time, geom FROM position p WHERE p.device_id = u.device AND p.fix_time >= u.f AND p.fix_time < u.t OFFSET 0
        ) p
        ORDER BY u.device, p.fix_time
        """;

    private const string Lengths = """
        SELECT ST_Length(geography(ST_GeomFromText(w, 4490))) FROM unnest(@lines) WITH ORDINALITY AS u(w, n) ORDER BY n
        """;

    /// <summary>The buffered segments of group k (the k-th day), in the plane e, per group: the swath (SRID e) and its cells.
    /// Parameters: @keys int[], @lines text[] (WKT, EPSG:4490), @epsgs int[], @buffer, @cell.</summary>
    public const string SwathsCte = """
        seg AS (
            SELECT u.k, ST_Buffer(ST_Transform(ST_GeomFromText(u.w, 4490), u.e), @buffer) AS g
            FROM unnest(@keys, @lines, @epsgs) AS u(k, w, e)
        ),
        sw AS (
            SELECT k, ST_Union(g) AS g FROM seg GROUP BY k
        ),
        swath AS (
            SELECT k, g, ARRAY(SELECT (c.i::bigint << 32) + c.j FROM ST_SquareGrid(@cell, sw.g) c WHERE ST_Intersects(c.geom, sw.g) ORDER BY 1) AS cells
            FROM sw
        )
        """;

    /// <summary>The days of the fixes in <paramref name="windows"/>, cut at gaps longer than <paramref name="maxGap"/> and at China
    /// midnights, each segment measured. Days with fixes but no segment (lone fixes) come back with no segment.</summary>
    public static async Task<List<Day>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<Window> windows, TimeSpan maxGap, CancellationToken ct)
    {
        var days = new List<Day>();
        if (windows.Count == 0)
        {
            return days;
        }

        var byWindow = new List<(long Device, List<TrackFix> Fixes)>();
        await using (var command = new NpgsqlCommand(Fixes, connection, transaction))
        {
            var ordered = windows.OrderBy(w => w.Device).ThenBy(w => w.From).ToList();
            command.Parameters.AddWithValue("devices", ordered.Select(w => w.Device).ToArray());
            command.Parameters.AddWithValue("froms", ordered.Select(w => w.From).ToArray());
            command.Parameters.AddWithValue("tos", ordered.Select(w => w.To).ToArray());
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var device = r.GetInt64(0);
                var fix = new TrackFix(r.GetDateTime(1), r.GetDouble(2), r.GetDouble(3));
                if (byWindow.Count == 0 || byWindow[^1].Device != device || ChinaTime.Day(byWindow[^1].Fixes[^1].TimeUtc) != ChinaTime.Day(fix.TimeUtc))
                {
                    byWindow.Add((device, []));
                }

                byWindow[^1].Fixes.Add(fix);
            }
        }

        // Windows of one device never overlap, and each day's fixes are read in time order: split day by day.
        var pieces = new List<(Day Day, IReadOnlyList<TrackFix> Fixes)>();
        foreach (var (device, fixes) in byWindow)
        {
            var day = new Day(device, ChinaTime.Day(fixes[0].TimeUtc), fixes.Count, fixes[0].TimeUtc, fixes[^1].TimeUtc, []);
            days.Add(day);
            pieces.AddRange(TrackSplitter.Split(fixes, maxGap).Select(s => (day, s)));
        }

        if (pieces.Count > 0)
        {
            await using var lengths = new NpgsqlCommand(Lengths, connection, transaction);
            lengths.Parameters.AddWithValue("lines", pieces.Select(p => Wkt(p.Fixes)).ToArray());
            var i = 0;
            await using var r = await lengths.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                pieces[i].Day.Segments.Add((pieces[i].Fixes, r.GetDouble(0)));
                i++;
            }
        }

        return days;
    }

    /// <summary>The CGCS2000 3° Gauss-Krüger zone (EPSG, no prefix) of a mean longitude.</summary>
    public static int PlaneOf(double lonSum, int fixes) => GaussKrugerZone.FromLongitude(lonSum / fixes).CentralMeridianEpsg;

    /// <summary>Parameters of <see cref="SwathsCte"/> for the segments of <paramref name="days"/> (group = index in the list),
    /// each day in the plane <paramref name="planeOf"/> gives it.</summary>
    public static void AddSwathParameters(NpgsqlCommand command, IReadOnlyList<Day> days, Func<Day, int> planeOf, CoverageOptions settings)
    {
        var keys = new List<int>();
        var lines = new List<string>();
        var epsgs = new List<int>();
        for (var k = 0; k < days.Count; k++)
        {
            if (days[k].Segments.Count == 0)
            {
                continue;
            }

            var epsg = planeOf(days[k]);
            foreach (var segment in days[k].Segments)
            {
                keys.Add(k);
                lines.Add(Wkt(segment.Fixes));
                epsgs.Add(epsg);
            }
        }

        command.Parameters.AddWithValue("keys", keys.ToArray());
        command.Parameters.AddWithValue("lines", lines.ToArray());
        command.Parameters.AddWithValue("epsgs", epsgs.ToArray());
        command.Parameters.AddWithValue("buffer", settings.BufferMetres);
        command.Parameters.AddWithValue("cell", settings.CellMetres);
    }

    /// <summary>The cells the days' swaths touch in plane <paramref name="epsg"/>.</summary>
    public static async Task<List<long>> CellsAsync(NpgsqlConnection connection, IReadOnlyList<Day> days, int epsg, CoverageOptions settings, CancellationToken ct)
    {
        var cells = new List<long>();
        if (days.All(d => d.Segments.Count == 0))
        {
            return cells;
        }

        await using var command = new NpgsqlCommand($"WITH {SwathsCte} SELECT cells FROM swath", connection);
        AddSwathParameters(command, days, _ => epsg, settings);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            cells.AddRange(r.GetFieldValue<long[]>(0));
        }

        return cells;
    }

    /// <summary>WKT of a line through <paramref name="fixes"/> (lon lat, EPSG:4490).</summary>
    public static string Wkt(IReadOnlyList<TrackFix> fixes)
    {
        var text = new StringBuilder("LINESTRING(");
        for (var i = 0; i < fixes.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(fixes[i].Longitude.ToString("R", CultureInfo.InvariantCulture))
                .Append(' ').Append(fixes[i].Latitude.ToString("R", CultureInfo.InvariantCulture));
        }

        return text.Append(')').ToString();
    }
}
