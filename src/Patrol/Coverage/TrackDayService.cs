using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Coverage;

/// <summary>
/// Keeps <c>patrol_track_day</c> and <c>patrol_track_segment</c> up to date: takes days marked stale in
/// <c>patrol_track_stale</c> (by the patrol-visits job for the days of the fixes it reads, by coverage for days it had to
/// measure from the fixes) a chunk at a time with <c>FOR UPDATE SKIP LOCKED</c>, in one transaction per chunk.
/// <list type="bullet">
/// <item>A day whose new fixes all follow its last stored fix (a phone reporting as it walks) is extended: only the new
/// fixes, joined to the last stored one, are measured; their length adds to the last segment when they continue it,
/// their cells and swath are united with the stored ones. A buffered line is the union of the buffers of its pieces
/// and a cell touches a union when it touches a part, so this equals measuring the whole day.</item>
/// <item>Any other day (a late or older batch, other settings, a plane that changes with the new mean longitude, no row)
/// is measured whole from its fixes (<see cref="TrackDays"/>, in the plane of its own mean longitude) and its rows
/// replaced; a day whose fixes are all gone loses its rows.</item>
/// </list>
/// Runs as the second step of the patrol-visits job.
/// </summary>
public sealed class TrackDayService(NpgsqlDataSource db, IOptions<CoverageOptions> options)
{
    private const int Chunk = 48;

    private const string Take = """
        SELECT device_id, day FROM patrol_track_stale ORDER BY day DESC, device_id LIMIT @chunk FOR UPDATE SKIP LOCKED
        """;

    // Per taken day with a current row: what is stored, and how many fixes the day has now, in all and after its last stored fix.
    private const string Stored = """
        SELECT u.n - 1, t.fixes, t.last_fix, t.track_fixes, t.lon_sum, t.plane_epsg,
               (SELECT count(*) FROM position p WHERE p.device_id = u.device AND p.fix_time >= u.f AND p.fix_time < u.t),
               (SELECT count(*) FROM position p WHERE p.device_id = u.device AND p.fix_time > t.last_fix AND p.fix_time < u.t),
               (SELECT s.end_at = t.last_fix FROM patrol_track_segment s WHERE s.device_id = u.device AND s.day = u.day ORDER BY s.start_at DESC LIMIT 1)
        FROM unnest(@devices, @days, @froms, @tos) WITH ORDINALITY AS u(device, day, f, t, n)
        JOIN patrol_track_day t ON t.device_id = u.device AND t.day = u.day AND t.max_gap_s = @gap AND t.buffer_m = @buffer AND t.cell_m = @cell
        """;

    private const string Replace = $"""
        DELETE FROM patrol_track_day t USING unnest(@all_devices, @all_days) AS u(device, day)
        WHERE t.device_id = u.device AND t.day = u.day;
        WITH {TrackDays.SwathsCte}
        INSERT INTO patrol_track_day (device_id, day, max_gap_s, buffer_m, cell_m, fixes, first_fix, last_fix, track_fixes, lon_sum, plane_epsg, cells, swath)
        SELECT d.device, d.day, @gap, @buffer, @cell, d.fixes, d.first_fix, d.last_fix, d.track_fixes, d.lon_sum, d.epsg, coalesce(s.cells, ARRAY[]::bigint[]), s.g
        FROM unnest(@devices, @days, @all_fixes, @firsts, @lasts, @fixes, @lon_sums, @day_epsgs)
             WITH ORDINALITY AS d(device, day, fixes, first_fix, last_fix, track_fixes, lon_sum, epsg, n)
        LEFT JOIN swath s ON s.k = d.n - 1
        """;

    private const string Extend = $"""
        WITH {TrackDays.SwathsCte}
        UPDATE patrol_track_day t
        SET fixes = d.fixes, last_fix = d.last_fix, track_fixes = d.track_fixes, lon_sum = d.lon_sum, plane_epsg = d.epsg,
            cells = coalesce((SELECT array_agg(DISTINCT c ORDER BY c) FROM unnest(t.cells || s.cells) AS c), t.cells),
            swath = CASE WHEN s.g IS NULL THEN t.swath WHEN t.swath IS NULL THEN s.g ELSE ST_Union(t.swath, s.g) END,
            computed_at = now()
        FROM unnest(@devices, @days, @all_fixes, @lasts, @fixes, @lon_sums, @day_epsgs)
             WITH ORDINALITY AS d(device, day, fixes, last_fix, track_fixes, lon_sum, epsg, n)
        LEFT JOIN swath s ON s.k = d.n - 1
        WHERE t.device_id = d.device AND t.day = d.day
        """;

    // The last segment continued: found by its end, the day's last stored fix.
    private const string Continue = """
        UPDATE patrol_track_segment s SET end_at = u.end_at, fixes = s.fixes + u.fixes, metres = s.metres + u.metres
        FROM unnest(@devices, @days, @old_ends, @ends, @fixes, @metres) AS u(device, day, old_end, end_at, fixes, metres)
        WHERE s.device_id = u.device AND s.day = u.day AND s.end_at = u.old_end
        """;

    private const string Segments = """
        INSERT INTO patrol_track_segment (device_id, day, start_at, end_at, fixes, metres)
        SELECT * FROM unnest(@devices, @days, @starts, @ends, @fixes, @metres)
        """;

    private const string Done = """
        DELETE FROM patrol_track_stale s USING unnest(@devices, @days) AS u(device, day) WHERE s.device_id = u.device AND s.day = u.day
        """;

    private sealed record StoredDay(int Fixes, DateTime LastFix, int TrackFixes, double LonSum, int? Epsg, long NowFixes, long After, bool LastFixInSegment);

    /// <summary>Measures stale days until none is left or <paramref name="budget"/> has passed (a chunk started is finished).
    /// Returns the number of device-days measured.</summary>
    public async Task<int> RefreshAsync(TimeSpan budget, CancellationToken cancellationToken = default)
    {
        var elapsed = Stopwatch.StartNew();
        var done = 0;
        while (elapsed.Elapsed < budget)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var taken = new List<(long Device, DateOnly Day)>();
            await using (var take = new NpgsqlCommand(Take, connection, transaction))
            {
                take.Parameters.AddWithValue("chunk", Chunk);
                await using var r = await take.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    taken.Add((r.GetInt64(0), r.GetFieldValue<DateOnly>(1)));
                }
            }

            if (taken.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken);
                break;
            }

            await MeasureAsync(connection, transaction, taken, cancellationToken);
            await using (var marks = new NpgsqlCommand(Done, connection, transaction))
            {
                marks.Parameters.AddWithValue("devices", taken.Select(t => t.Device).ToArray());
                marks.Parameters.AddWithValue("days", taken.Select(t => t.Day).ToArray());
                await marks.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            done += taken.Count;
        }

        return done;
    }

    private async Task MeasureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<(long Device, DateOnly Day)> taken, CancellationToken ct)
    {
        var settings = options.Value;
        var stored = new Dictionary<(long Device, DateOnly Day), StoredDay>();
        await using (var command = new NpgsqlCommand(Stored, connection, transaction))
        {
            command.Parameters.AddWithValue("devices", taken.Select(t => t.Device).ToArray());
            command.Parameters.AddWithValue("days", taken.Select(t => t.Day).ToArray());
            var days = taken.Select(t => TrackDays.Window.OfDay(t.Device, t.Day)).ToList();
            command.Parameters.AddWithValue("froms", days.Select(w => w.From).ToArray());
            command.Parameters.AddWithValue("tos", days.Select(w => w.To).ToArray());
            AddSettings(command, settings);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                stored[taken[(int)r.GetInt64(0)]] = new StoredDay(r.GetInt32(1), r.GetDateTime(2), r.GetInt32(3), r.GetDouble(4),
                    r.IsDBNull(5) ? null : r.GetInt32(5), r.GetInt64(6), r.GetInt64(7), !r.IsDBNull(8) && r.GetBoolean(8));
            }
        }

        // Unchanged days (a re-sent fix) need nothing; days that only grew at their end are extended; the rest measured whole.
        var appended = stored.Where(s => s.Value.After > 0 && s.Value.NowFixes == s.Value.Fixes + s.Value.After).ToList();
        var extensions = await TrackDays.ReadAsync(connection, transaction,
            [.. appended.Select(a => TrackDays.Window.OfDay(a.Key.Device, a.Key.Day) with { From = a.Value.LastFix })], settings.MaxFixGap, ct);
        var extended = new List<(TrackDays.Day Piece, StoredDay Was, int TrackFixes, double LonSum, int? Epsg)>();
        foreach (var piece in extensions)
        {
            var was = stored[(piece.Device, piece.Date)];
            var continues = piece.Segments.Count > 0 && piece.Segments[0].Fixes[0].TimeUtc == was.LastFix && was.LastFixInSegment;
            var trackFixes = was.TrackFixes + piece.TrackFixes - (continues ? 1 : 0);
            var lonSum = was.LonSum + piece.LonSum - (continues ? piece.Segments[0].Fixes[0].Longitude : 0);
            int? epsg = trackFixes > 0 ? TrackDays.PlaneOf(lonSum, trackFixes) : null;
            if (was.Epsg is null || was.Epsg == epsg)
            {
                extended.Add((piece, was, trackFixes, lonSum, epsg));
            }
        }

        var whole = taken.Where(t => !(stored.TryGetValue(t, out var s) && s.NowFixes == s.Fixes && s.After == 0))
            .Except(extended.Select(e => (e.Piece.Device, e.Piece.Date))).ToList();
        await ExtendAsync(connection, transaction, extended, settings, ct);
        await ReplaceAsync(connection, transaction, whole, settings, ct);
    }

    private static async Task ExtendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(TrackDays.Day Piece, StoredDay Was, int TrackFixes, double LonSum, int? Epsg)> extended,
        CoverageOptions settings, CancellationToken ct)
    {
        if (extended.Count == 0)
        {
            return;
        }

        await using (var command = new NpgsqlCommand(Extend, connection, transaction))
        {
            command.Parameters.AddWithValue("devices", extended.Select(e => e.Piece.Device).ToArray());
            command.Parameters.AddWithValue("days", extended.Select(e => e.Piece.Date).ToArray());
            command.Parameters.AddWithValue("all_fixes", extended.Select(e => e.Was.Fixes + e.Piece.Fixes - 1).ToArray()); // the piece re-reads the last stored fix
            command.Parameters.AddWithValue("lasts", extended.Select(e => e.Piece.LastFix).ToArray());
            command.Parameters.AddWithValue("fixes", extended.Select(e => e.TrackFixes).ToArray());
            command.Parameters.AddWithValue("lon_sums", extended.Select(e => e.LonSum).ToArray());
            command.Parameters.AddWithValue("day_epsgs", extended.Select(e => e.Epsg).ToArray());
            var pieces = extended.Select(e => e.Piece).ToList();
            var planes = extended.ToDictionary(e => e.Piece, e => e.Epsg ?? 0);
            TrackDays.AddSwathParameters(command, pieces, p => planes[p], settings);
            await command.ExecuteNonQueryAsync(ct);
        }

        var continued = new List<(long Device, DateOnly Day, DateTime OldEnd, IReadOnlyList<TrackFix> Fixes, double Metres)>();
        var added = new List<(long Device, DateOnly Day, IReadOnlyList<TrackFix> Fixes, double Metres)>();
        foreach (var (piece, was, _, _, _) in extended)
        {
            foreach (var (fixes, metres) in piece.Segments)
            {
                if (fixes[0].TimeUtc == was.LastFix && was.LastFixInSegment)
                {
                    continued.Add((piece.Device, piece.Date, was.LastFix, fixes, metres));
                }
                else
                {
                    added.Add((piece.Device, piece.Date, fixes, metres));
                }
            }
        }

        await using (var command = new NpgsqlCommand(Continue, connection, transaction))
        {
            command.Parameters.AddWithValue("devices", continued.Select(c => c.Device).ToArray());
            command.Parameters.AddWithValue("days", continued.Select(c => c.Day).ToArray());
            command.Parameters.AddWithValue("old_ends", continued.Select(c => c.OldEnd).ToArray());
            command.Parameters.AddWithValue("ends", continued.Select(c => c.Fixes[^1].TimeUtc).ToArray());
            command.Parameters.AddWithValue("fixes", continued.Select(c => c.Fixes.Count - 1).ToArray());
            command.Parameters.AddWithValue("metres", continued.Select(c => c.Metres).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }

        await InsertSegmentsAsync(connection, transaction, added, ct);
    }

    private static async Task ReplaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(long Device, DateOnly Day)> whole, CoverageOptions settings, CancellationToken ct)
    {
        if (whole.Count == 0)
        {
            return;
        }

        var windows = whole.Select(t => TrackDays.Window.OfDay(t.Device, t.Day)).ToList();
        var days = await TrackDays.ReadAsync(connection, transaction, windows, settings.MaxFixGap, ct);
        await using (var replace = new NpgsqlCommand(Replace, connection, transaction))
        {
            replace.Parameters.AddWithValue("all_devices", whole.Select(t => t.Device).ToArray());
            replace.Parameters.AddWithValue("all_days", whole.Select(t => t.Day).ToArray());
            replace.Parameters.AddWithValue("devices", days.Select(d => d.Device).ToArray());
            replace.Parameters.AddWithValue("days", days.Select(d => d.Date).ToArray());
            replace.Parameters.AddWithValue("all_fixes", days.Select(d => d.Fixes).ToArray());
            replace.Parameters.AddWithValue("firsts", days.Select(d => d.FirstFix).ToArray());
            replace.Parameters.AddWithValue("lasts", days.Select(d => d.LastFix).ToArray());
            replace.Parameters.AddWithValue("fixes", days.Select(d => d.TrackFixes).ToArray());
            replace.Parameters.AddWithValue("lon_sums", days.Select(d => d.LonSum).ToArray());
            replace.Parameters.AddWithValue("day_epsgs", days.Select(d => d.TrackFixes > 0 ? TrackDays.PlaneOf(d.LonSum, d.TrackFixes) : (int?)null).ToArray());
            replace.Parameters.AddWithValue("gap", settings.MaxFixGap.TotalSeconds);
            TrackDays.AddSwathParameters(replace, days, d => TrackDays.PlaneOf(d.LonSum, d.TrackFixes), settings);
            await replace.ExecuteNonQueryAsync(ct);
        }

        await InsertSegmentsAsync(connection, transaction, [.. days.SelectMany(d => d.Segments.Select(s => (d.Device, d.Date, s.Fixes, s.Metres)))], ct);
    }

    private static async Task InsertSegmentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(long Device, DateOnly Day, IReadOnlyList<TrackFix> Fixes, double Metres)> rows, CancellationToken ct)
    {
        await using var segments = new NpgsqlCommand(Segments, connection, transaction);
        segments.Parameters.AddWithValue("devices", rows.Select(s => s.Device).ToArray());
        segments.Parameters.AddWithValue("days", rows.Select(s => s.Day).ToArray());
        segments.Parameters.AddWithValue("starts", rows.Select(s => s.Fixes[0].TimeUtc).ToArray());
        segments.Parameters.AddWithValue("ends", rows.Select(s => s.Fixes[^1].TimeUtc).ToArray());
        segments.Parameters.AddWithValue("fixes", rows.Select(s => s.Fixes.Count).ToArray());
        segments.Parameters.AddWithValue("metres", rows.Select(s => s.Metres).ToArray());
        await segments.ExecuteNonQueryAsync(ct);
    }

    private static void AddSettings(NpgsqlCommand command, CoverageOptions settings)
    {
        command.Parameters.AddWithValue("gap", settings.MaxFixGap.TotalSeconds);
        command.Parameters.AddWithValue("buffer", settings.BufferMetres);
        command.Parameters.AddWithValue("cell", settings.CellMetres);
    }
}
