using GeoMine.Patrol.Coverage;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Visits;
using GeoMine.Geo;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Coverage;

/// <summary>Coverage figures against hand-computed examples. Tracks are laid out in EPSG:4544 metres (CGCS2000
/// 3° zone, central meridian 105°E) and turned into longitude/latitude by PostGIS, never by the code under test.</summary>
public sealed class PatrolCoverageTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    // 10:00 China time: the worked example stays within one China day.
    private static readonly DateTime Start = new(2026, 10, 12, 2, 0, 0, DateTimeKind.Utc);

    private NpgsqlDataSource Db => GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);

    private PatrolCoverageService Coverage() =>
        new(Db, Options.Create(new CoverageOptions()), Options.Create(new PatrolObligationOptions { DefaultInterval = TimeSpan.FromDays(7) }));

    /// <summary>Stores the fixes (time, easting, northing in EPSG:4544) of a patrol phone owned by <paramref name="owner"/>.</summary>
    private async Task IngestAsync(string key, string owner, IReadOnlyList<(DateTime Time, double X, double Y)> track)
    {
        var lonLat = new List<(double Lon, double Lat)>();
        await using (var connection = await county.Db.OpenAsync())
        await using (var command = new NpgsqlCommand("""
            SELECT ST_X(g), ST_Y(g) FROM unnest(@x, @y) WITH ORDINALITY AS u(x, y, n),
                   LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 4544), 4490) AS g
            ORDER BY n
            """, connection))
        {
            command.Parameters.AddWithValue("x", track.Select(f => f.X).ToArray());
            command.Parameters.AddWithValue("y", track.Select(f => f.Y).ToArray());
            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                lonLat.Add((r.GetDouble(0), r.GetDouble(1)));
            }
        }

        var db = Db;
        var devices = new DeviceRegistry(db, TimeProvider.System);
        await devices.AddAsync(key, "patrol_phone", ownerName: owner);
        var ingestor = new PositionIngestor(db, devices, new PositionPartitions(db), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        var result = await ingestor.IngestAsync([.. track.Select((f, i) => new PositionFix(key, f.Time, lonLat[i].Lon, lonLat[i].Lat, null, 5, null, null, null, "batch"))]);
        Assert.Equal(track.Count, result.Stored);
    }

    /// <summary>What the patrol-visits job does every minute: visits, then the track days the new fixes made stale.</summary>
    private async Task RunJobAsync(CoverageOptions? settings = null)
    {
        var db = Db;
        await new PatrolVisitService(db, Options.Create(new VisitOptions { CommitLag = TimeSpan.Zero })).RunAsync(DateTime.UtcNow);
        await new TrackDayService(db, Options.Create(settings ?? new CoverageOptions())).RefreshAsync(TimeSpan.MaxValue);
    }

    private Task<long> StoredDaysAsync(string device) =>
        county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_track_day t JOIN device d ON d.id = t.device_id WHERE d.device_key = @k", ("k", device));

    /// <summary>The whole China days from the one holding <paramref name="time"/>, <paramref name="days"/> of them.</summary>
    private static (DateTime From, DateTime To) WholeDays(DateTime time, int days) =>
        (ChinaTime.StartOf(ChinaTime.Day(time)), ChinaTime.StartOf(ChinaTime.Day(time).AddDays(days)));

    /// <summary>Coverage of a period and of the whole days holding it, before the job ran (from the fixes) and after (from the
    /// stored track days, which serve any period holding all their fixes): one hand-worked answer must hold for all four.</summary>
    private async Task<PatrolCoverage[]> FourWaysAsync(string device, DateTime from, DateTime to, int days, CoverageScope scope, CoverageDetail detail)
    {
        var (dayFrom, dayTo) = WholeDays(from, days);
        var partial = await Coverage().ComputeAsync(from, to, scope, detail);
        var measured = await Coverage().ComputeAsync(dayFrom, dayTo, scope, detail);
        await RunJobAsync();
        Assert.Equal(days, await StoredDaysAsync(device));
        var stored = await Coverage().ComputeAsync(dayFrom, dayTo, scope, detail);
        var partialStored = await Coverage().ComputeAsync(from, to, scope, detail);
        return [partial, measured, stored, partialStored];
    }

    /// <summary>A straight walk of <paramref name="steps"/> steps of (dx, dy) metres every <paramref name="every"/>.</summary>
    private static IEnumerable<(DateTime, double, double)> Walk(DateTime start, double x, double y, double dx, double dy, int steps, TimeSpan every) =>
        Enumerable.Range(0, steps + 1).Select(i => (start + (every * i), x + (dx * i), y + (dy * i)));

    [Fact]
    public async Task ComputeAsync_1000mEastGap2h500mNorth_KmHoursAreaCellsAsComputedByHand()
    {
        // Leg A: (500 050, 3 250 050) → 1 000 m east at 1 m/s (a fix every 10 s, 1 000 s).
        // A gap of 2 h (> 10 min: a new segment). Leg B: from A's end 500 m north at 0.5 m/s (5 m every 10 s, 1 000 s).
        var east = Walk(Start, 500_050, 3_250_050, 10, 0, 100, TimeSpan.FromSeconds(10));
        var north = Walk(Start.AddSeconds(1000 + 7200), 501_050, 3_250_050, 0, 5, 100, TimeSpan.FromSeconds(10));
        await IngestAsync("phone-worked", "巡查员甲", [.. east, .. north]);

        foreach (var coverage in await FourWaysAsync("phone-worked", Start.AddHours(-1), Start.AddHours(5), 1, new CoverageScope(Person: "巡查员甲"), CoverageDetail.ExactArea))
        {
            Worked(coverage);
        }
    }

    private static void Worked(PatrolCoverage coverage)
    {
        var s = coverage.Summary;

        // km = 1.000 + 0.500 (the track lies within 1.1 km of the central meridian: scale error < 1e-7).
        Assert.Equal(2, s.Segments);
        Assert.Equal(1.5, s.Kilometres, 1e-5);
        // hours = (1 000 s + 1 000 s) / 3 600; the 2 h gap is not patrol time.
        Assert.Equal(2000.0 / 3600, s.Hours, 1e-9);
        // Buffer r = 25 m. A's stadium: 1 000 × 2r + πr²; B's: 500 × 2r + πr². They overlap in the disc of radius r
        // around the corner (1 000, 0) plus the square [1 000 − r, 1 000] × [0, r], less the quarter disc they share:
        // πr² + r² − πr²/4. Union = 3 000 r + πr²·(1 + 1 − 3/4) − r² = 75 000 + 1.25 π·625 − 625 = 76 829.37 m².
        // PostGIS draws a circle as a 32-gon (8 segments a quarter, vertices on the axes, so the corner's arcs coincide):
        // area 16 r² sin(π/8) = 1 950.903 m² instead of πr² = 1 963.495 m², so the union is
        // 75 000 − 625 + 1.25 × 1 950.903 = 76 813.63 m².
        Assert.Equal(0.07681363, s.BufferedAreaKm2!.Value, 2e-8);
        Assert.Equal(0.07682937, s.BufferedAreaKm2.Value, 2e-5); // the true circles, within the 32-gon's 15.7 m²
        // Cells of 100 m from the origin of the plane. A's swath spans x 500 025…501 075, y 3 250 025…3 250 075:
        // columns 5 000…5 010 (11) in row 32 500. B's spans x 501 025…501 075, y 3 250 025…3 250 575: column 5 010,
        // rows 32 500…32 505 (6). Shared: (5 010, 32 500). 11 + 6 − 1 = 16 cells, 0.16 km².
        Assert.Equal(16, s.Cells);
        Assert.Equal(0.16, s.CellsKm2, 1e-12);
        Assert.Equal(4544, s.PlaneEpsg);
        Assert.Equal(1, s.Devices);
        Assert.Equal([Start, Start.AddSeconds(8200)], coverage.Segments.Select(g => g.StartUtc));
        Assert.Equal([1000.0, 500.0], coverage.Segments.Select(g => Math.Round(g.Metres, 2)));
    }

    [Fact]
    public async Task ComputeAsync_WalkAcrossChinaMidnight_TwoSegmentsNeitherJoinsTheDays()
    {
        // 23:50 → 00:10 China time, 15 m east every 30 s (41 fixes). Day 1: 20 fixes, 19 steps = 285 m;
        // day 2: 21 fixes, 20 steps = 300 m. The 15 m step over midnight belongs to neither.
        var midnight = new DateTime(2026, 10, 13, 16, 0, 0, DateTimeKind.Utc); // 2026-10-14 00:00 China time
        await IngestAsync("phone-midnight", "巡查员乙", [.. Walk(midnight.AddMinutes(-10), 500_050, 3_260_050, 15, 0, 40, TimeSpan.FromSeconds(30))]);

        foreach (var coverage in await FourWaysAsync(
            "phone-midnight", midnight.AddHours(-1), midnight.AddHours(1), 2, new CoverageScope(Person: "巡查员乙"), CoverageDetail.Tracks))
        {
            Assert.Equal(2, coverage.Segments.Count);
            Assert.Equal(midnight.AddSeconds(-30), coverage.Segments[0].EndUtc);
            Assert.Equal(midnight, coverage.Segments[1].StartUtc);
            Assert.Equal([20, 21], coverage.Segments.Select(g => g.FixCount));
            Assert.Equal([20, 21], coverage.Segments.Select(g => g.Fixes.Count));
            Assert.All(coverage.Segments, g => Assert.Single(g.Fixes.Select(f => ChinaTime.Day(f.TimeUtc)).Distinct()));
            Assert.Equal(0.585, coverage.Summary.Kilometres, 1e-5);
            Assert.Equal((570.0 + 600) / 3600, coverage.Summary.Hours, 1e-9);
        }
    }

    [Fact]
    public async Task ComputeAsync_LastFixOfDay1AndFirstOfDay2_NotJoined()
    {
        // Day 1 16:00–16:10 China: 600 m east; day 2 08:00–08:10: 600 m east starting 2.6 km east of day 1's end.
        // Joined, the straight line between the days would add 2.6 km and 15 h 50 min.
        var day1 = new DateTime(2026, 10, 15, 8, 0, 0, DateTimeKind.Utc);
        await IngestAsync("phone-twodays", "巡查员丙", [
            .. Walk(day1, 500_050, 3_270_050, 60, 0, 10, TimeSpan.FromMinutes(1)),
            .. Walk(day1.AddHours(16), 503_250, 3_270_050, 60, 0, 10, TimeSpan.FromMinutes(1))]);

        foreach (var coverage in await FourWaysAsync("phone-twodays", day1.AddHours(-1), day1.AddHours(17), 2, new CoverageScope(Person: "巡查员丙"), CoverageDetail.None))
        {
            Assert.Equal(2, coverage.Summary.Segments);
            Assert.Equal(1.2, coverage.Summary.Kilometres, 1e-5);
            Assert.Equal(20.0 / 60, coverage.Summary.Hours, 1e-9);
            Assert.Null(coverage.Summary.BufferedAreaKm2); // not asked for
            // Cells: each 600 m walk from x ·050 spans x ·025…·675 (7 columns) in one row: 14.
            Assert.Equal(14, coverage.Summary.Cells);
        }
    }

    [Fact]
    public async Task ComputeAsync_StoredDay_TakenUntilANewFixOrOtherSettingsThenMeasuredFromTheFixes()
    {
        // 2026-10-20 10:00–10:10 China: 600 m east. The job stores the day; a stored figure is then what coverage reports
        // (shown by altering the stored row: 0.6 km becomes 1.6).
        var morning = new DateTime(2026, 10, 20, 2, 0, 0, DateTimeKind.Utc);
        var scope = new CoverageScope(Person: "巡查员丁");
        var (from, to) = WholeDays(morning, 1);
        await IngestAsync("phone-stored", "巡查员丁", [.. Walk(morning, 500_050, 3_280_050, 60, 0, 10, TimeSpan.FromMinutes(1))]);
        await RunJobAsync();
        Assert.Equal(1, await StoredDaysAsync("phone-stored"));
        await county.Db.ExecuteAsync(
            "UPDATE patrol_track_segment SET metres = metres + 1000 WHERE device_id = (SELECT id FROM device WHERE device_key = 'phone-stored')");
        Assert.Equal(1.6, (await Coverage().ComputeAsync(from, to, scope)).Summary.Kilometres, 1e-5);
        await county.Db.ExecuteAsync(
            "UPDATE patrol_track_segment SET metres = metres - 1000 WHERE device_id = (SELECT id FROM device WHERE device_key = 'phone-stored')");

        // An afternoon walk of 300 m arrives; before the job runs again the day is measured from its fixes: 0.6 + 0.3 km.
        await IngestAsync("phone-stored", "巡查员丁", [.. Walk(morning.AddHours(5), 500_050, 3_280_050, 30, 0, 10, TimeSpan.FromMinutes(1))]);
        var fresh = (await Coverage().ComputeAsync(from, to, scope)).Summary;
        Assert.Equal(0.9, fresh.Kilometres, 1e-5);
        Assert.Equal(2, fresh.Segments);

        // The job extends the day with the afternoon: the same figures, now from storage.
        await RunJobAsync();
        Assert.Equal(2L, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM patrol_track_segment WHERE device_id = (SELECT id FROM device WHERE device_key = 'phone-stored')"));
        var stored = (await Coverage().ComputeAsync(from, to, scope)).Summary;
        Assert.Equal(fresh.Kilometres, stored.Kilometres, 1e-9);
        Assert.Equal((fresh.Hours, fresh.Cells, fresh.Segments), (stored.Hours, stored.Cells, stored.Segments));

        // A period that cuts the day (from noon) takes only the afternoon's fixes: 0.3 km, one segment.
        var afternoon = (await Coverage().ComputeAsync(morning.AddHours(2), to, scope)).Summary;
        Assert.Equal((0.3, 1), (Math.Round(afternoon.Kilometres, 5), afternoon.Segments));

        // Coverage asked with another cell size cannot use the stored cells: 600 m from x ·050 in cells of 200 m spans
        // x 500 025…500 675, columns 2 500…2 503 (4) in one row. The day is queued for the job.
        var wide = new PatrolCoverageService(Db, Options.Create(new CoverageOptions { CellMetres = 200 }),
            Options.Create(new PatrolObligationOptions { DefaultInterval = TimeSpan.FromDays(7) }));
        Assert.Equal(4, (await wide.ComputeAsync(from, to, scope)).Summary.Cells);
        Assert.Equal(1L, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM patrol_track_stale WHERE device_id = (SELECT id FROM device WHERE device_key = 'phone-stored')"));
    }

    [Fact]
    public async Task Job_WalkReportedInTwoHalves_ExtendsTheStoredDayToWhatTheWholeWalkMeasures()
    {
        // 2026-10-22 10:00–10:10 China: 600 m east, a fix a minute; the phone sends the first 300 m, the job runs, then the rest.
        var morning = new DateTime(2026, 10, 22, 2, 0, 0, DateTimeKind.Utc);
        var scope = new CoverageScope(Person: "巡查员戊");
        var (from, to) = WholeDays(morning, 1);
        var walk = Walk(morning, 500_050, 3_290_050, 60, 0, 10, TimeSpan.FromMinutes(1)).ToList();
        await IngestAsync("phone-halves", "巡查员戊", walk[..6]);
        await RunJobAsync();
        const string device = "(SELECT id FROM device WHERE device_key = 'phone-halves')";
        // Marks the stored segment (+1 000 m): a day extended keeps it, a day measured again from its fixes loses it.
        await county.Db.ExecuteAsync($"UPDATE patrol_track_segment SET metres = metres + 1000 WHERE device_id = {device}");

        await IngestAsync("phone-halves", "巡查员戊", walk[6..]);
        await RunJobAsync();

        var extended = await Coverage().ComputeAsync(from, to, scope, CoverageDetail.ExactArea);
        Assert.Equal(1.6, extended.Summary.Kilometres, 1e-5); // extended: 300 m + the mark + the 300 m that followed
        Assert.Equal(1L, await county.Db.ScalarAsync<long>($"SELECT count(*) FROM patrol_track_segment WHERE device_id = {device}"));
        Assert.Equal(11, Assert.Single(extended.Segments).FixCount);
        Assert.Equal(10.0 / 60, extended.Summary.Hours, 1e-9);
        // 600 m × 50 m + a 25 m disc drawn as a 32-gon (1 950.9 m²); cells x 500 025…500 675: 7 in one row.
        Assert.Equal(0.031951, extended.Summary.BufferedAreaKm2!.Value, 1e-6);
        Assert.Equal(7, extended.Summary.Cells);

        // A fix inside the stored stretch (10:02:30, 150 m, on the line) is not an extension: the day is measured whole again.
        await IngestAsync("phone-halves", "巡查员戊", [(morning.AddSeconds(150), 500_200, 3_290_050)]);
        await RunJobAsync();
        var whole = await Coverage().ComputeAsync(from, to, scope);
        Assert.Equal(0.6, whole.Summary.Kilometres, 1e-5);
        Assert.Equal(12, Assert.Single(whole.Segments).FixCount);
    }

    [Fact]
    public async Task ComputeAsync_ThreeShaftsOfAMine_OneVisitedWithinIntervalThroughoutStatusesAsOfTheEnd()
    {
        // Period [10-01, 10-15) UTC, interval 7 days.
        // J1 visits 09-28, 10-04, 10-10: never more than 7 days without one (09-28+7 = 10-05 ≥ 10-04; 10-11 ≥ 10-10;
        //    10-17 ≥ 10-15) → within interval; at 10-15 last visit 10-10, due 10-17 → ok.
        // J2 visits 09-30, 10-08 12:00: overdue from 10-07 to 10-08 12:00 → not within; due 10-15 12:00 → due soon.
        // J3 never visited, nobody responsible → never visited, no due date. 1 of 3 = 33.3 %.
        var from = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = from.AddDays(14);
        await RecordVisitsAsync("YC-CM-003-J1", from.AddDays(-3), from.AddDays(3), from.AddDays(9));
        await RecordVisitsAsync("YC-CM-003-J2", from.AddDays(-1), from.AddDays(7.5));

        var coverage = await Coverage().ComputeAsync(from, to, new CoverageScope(Mine: "YC-CM-003"));

        Assert.Equal(["YC-CM-003-J1", "YC-CM-003-J2", "YC-CM-003-J3"], coverage.Shafts.Select(x => x.Code));
        Assert.Equal([true, false, false], coverage.Shafts.Select(x => x.VisitedWithinInterval));
        Assert.Equal([PatrolStatus.Ok, PatrolStatus.DueSoon, PatrolStatus.NeverVisited], coverage.Shafts.Select(x => x.Rating.Status));
        Assert.Equal([from.AddDays(16), from.AddDays(14.5), (DateTime?)null], coverage.Shafts.Select(x => x.Rating.DueAt));
        Assert.Equal([2, 1, 0], coverage.Shafts.Select(x => x.VisitsInPeriod));
        Assert.Equal(100.0 / 3, coverage.Summary.VisitedWithinIntervalPercent!.Value, 1e-9);
    }

    [Fact]
    public async Task ComputeAsync_UnknownTown_NamesTheParameter()
    {
        var e = await Assert.ThrowsAsync<CoverageInputException>(() =>
            Coverage().ComputeAsync(Start, Start.AddDays(1), new CoverageScope(Town: "不存在镇")));
        Assert.Equal("town", e.Parameter);
    }

    [Theory]
    [InlineData(92, false)]  // a quarter is taken (Patrol:Coverage:MaxPeriod, 92 days)
    [InlineData(93, true)]   // a day more is refused before any work, naming "to"
    public async Task ComputeAsync_PeriodLongerThanTheMaximum_IsRefusedNamingTo(int days, bool refused)
    {
        var compute = () => Coverage().ComputeAsync(Start, Start.AddDays(days), new CoverageScope(Town: "不存在镇"));

        var e = await Assert.ThrowsAsync<CoverageInputException>(compute);

        Assert.Equal(refused ? "to" : "town", e.Parameter); // taken periods fail later, on the unknown town
    }

    [Theory]
    [InlineData(new[] { 0.0, 7.0 }, 0, 14, true)] // a visit exactly when the previous one falls due
    [InlineData(new[] { 0.0, 7.001 }, 0, 14, false)]
    [InlineData(new[] { 1.0 }, 0, 5, false)] // the period starts before any visit
    [InlineData(new[] { -6.0, 0.5 }, 0, 7.5, true)]
    [InlineData(new[] { -6.0 }, 0, 1.0001, false)] // falls due inside the period
    [InlineData(new double[0], 0, 1, false)]
    public void VisitedWithinInterval_VisitsInDays_AsCountedByHand(double[] visitDays, double fromDay, double toDay, bool expected)
    {
        var origin = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);

        var within = PatrolCoverageService.VisitedWithinInterval(
            [.. visitDays.Select(origin.AddDays)], origin.AddDays(fromDay), origin.AddDays(toDay), TimeSpan.FromDays(7));

        Assert.Equal(expected, within);
    }

    [Fact]
    public void Split_GapOfExactly10MinutesKeptLongerCut()
    {
        var t = new DateTime(2026, 10, 12, 2, 0, 0, DateTimeKind.Utc);
        TrackFix At(double minutes) => new(t.AddMinutes(minutes), 105, 29);

        var stretches = TrackSplitter.Split([At(0), At(1), At(11), At(21.01), At(22), At(40)], TimeSpan.FromMinutes(10));

        Assert.Equal([3, 2], stretches.Select(s => s.Count)); // the lone fix at minute 40 is dropped
    }

    private async Task RecordVisitsAsync(string shaftCode, params DateTime[] arrivals)
    {
        foreach (var arrived in arrivals)
        {
            await county.Db.ScalarAsync<long>("""
                INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source)
                SELECT id, @a, @a + interval '5 minutes', 'record' FROM sealed_shaft WHERE code = @c RETURNING id
                """, ("a", arrived), ("c", shaftCode));
        }
    }
}
