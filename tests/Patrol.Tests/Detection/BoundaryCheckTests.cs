using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Detection;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Positions;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Detection;

/// <summary>Position rules end to end: real tracks, real ingest, real PostGIS, the real index.</summary>
public sealed class BoundaryCheckTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Licence = "C5001182019081130160072"; // 金石石灰岩矿, 380–520 m (data/shapefiles/README.md)
    private static readonly string ExcavatorGpx = Path.Combine(TestPaths.SampleData, "tracks", "excavator_2026-11-10.gpx");

    private NpgsqlDataSource Db => GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);

    private (DeviceRegistry Devices, PositionIngestor Ingestor, AlarmStore Alarms, BoundaryCheckService Check) Services()
    {
        var db = Db;
        var devices = new DeviceRegistry(db, TimeProvider.System);
        var ingestor = new PositionIngestor(db, devices, new PositionPartitions(db), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        var alarms = new AlarmStore(db);
        var check = new BoundaryCheckService(db, devices, alarms, Options.Create(new DetectionOptions { CommitLag = TimeSpan.Zero }));
        return (devices, ingestor, alarms, check);
    }

    private async Task<IReadOnlyList<Alarm>> AlarmsOfAsync(AlarmStore alarms, string kind, string deviceKey)
    {
        var id = await county.Db.ScalarAsync<long>("SELECT id FROM device WHERE device_key = @k", ("k", deviceKey));
        return (await alarms.ListAsync(kind)).Where(a => a.DeviceId == id).ToList();
    }

    [Fact]
    public async Task ExcavatorTrack_LeavingItsLicenceFor36Minutes_RaisesExactlyOneOutOfBoundaryAlarmThatEndsWhenBack()
    {
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync("exc-gpx", "equipment", "1号挖掘机", licenceNo: Licence);
        await ingestor.IngestAsync(await TrackFile.ReadAsync(ExcavatorGpx, "exc-gpx"));

        await check.RunAsync(DateTime.UtcNow);
        await check.RunAsync(DateTime.UtcNow); // a second run adds nothing

        var alarm = Assert.Single(await AlarmsOfAsync(alarms, "out_of_boundary", "exc-gpx"));
        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_elevation", "exc-gpx"));
        Assert.InRange(alarm.StartedAt, new DateTime(2026, 11, 10, 1, 30, 0, DateTimeKind.Utc), new DateTime(2026, 11, 10, 1, 45, 0, DateTimeKind.Utc));
        Assert.NotNull(alarm.EndedAt); // back inside for 20 min
        // PostGIS, not the index, confirms the evidence lies outside the licensed area by more than its accuracy.
        var evidence = alarm.Evidence["positions"]!.AsArray()[0]!;
        var outsideMetres = await county.Db.ScalarAsync<double>("""
            SELECT ST_Distance(geography(ST_SetSRID(ST_MakePoint(@lon, @lat), 4490)), geography(geom)) FROM mining_right WHERE licence_no = @l
            """, ("lon", (double)evidence["lon"]!), ("lat", (double)evidence["lat"]!), ("l", Licence));
        Assert.True(outsideMetres > 25, $"evidence only {outsideMetres:0.0} m outside");
    }

    /// <summary>Live detection runs the check on whatever has been committed, many times a minute; the minute job runs it on
    /// everything at once. Over the same recorded track both give the same alarms: same kind, start, end and evidence.</summary>
    [Fact]
    public async Task TheRecordedTrack_CheckedInManySmallRunsOrInOne_GivesTheSameAlarms()
    {
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync("exc-once", "equipment", licenceNo: Licence);
        await devices.AddAsync("exc-live", "equipment", licenceNo: Licence);
        var track = await TrackFile.ReadAsync(ExcavatorGpx, "exc-once");

        await ingestor.IngestAsync(track);
        await check.RunAsync(DateTime.UtcNow);
        var runs = 0;
        foreach (var chunk in track.Select(f => f with { DeviceKey = "exc-live" }).Chunk(25))
        {
            await ingestor.IngestAsync(chunk);
            await check.RunAsync(DateTime.UtcNow);
            runs++;
        }

        static string Shape(Alarm a) =>
            $"{a.Kind} {a.StartedAt:O} {a.EndedAt:O} {a.Severity} {a.Evidence["positions"]?.ToJsonString()}";
        var once = (await AlarmsOfAsync(alarms, "out_of_boundary", "exc-once")).Select(Shape).ToList();
        var live = (await AlarmsOfAsync(alarms, "out_of_boundary", "exc-live")).Select(Shape).ToList();
        Assert.True(runs > 20, $"only {runs} runs");
        Assert.NotEmpty(once);
        Assert.Equal(once, live);
    }

    /// <summary>A GeoMine transaction still in progress holds the watermark before its start: the fix it commits later,
    /// with a receive time before the run, is classified by the next run and never skipped.</summary>
    [Fact]
    public async Task AFixCommittedAfterARun_WithAReceiveTimeBeforeIt_IsNotSkipped()
    {
        var (devices, _, alarms, check) = Services();
        await devices.AddAsync("exc-slow", "equipment", licenceNo: Licence);
        var outside = (await TrackFile.ReadAsync(ExcavatorGpx, "exc-slow")).ToList();
        await new PositionPartitions(Db).EnsureAsync(outside.Select(f => f.FixTimeUtc), CancellationToken.None);
        await check.RunAsync(DateTime.UtcNow); // nothing pending before the slow transaction

        await using var slow = await Db.OpenConnectionAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        var device = await county.Db.ScalarAsync<long>("SELECT id FROM device WHERE device_key = 'exc-slow'");
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO position (device_id, fix_time, geom, altitude_m, accuracy_m, source)
            SELECT @device, t, ST_SetSRID(ST_MakePoint(x, y), 4490), z, 5, 'batch' FROM unnest(@t, @x, @y, @z) AS u(t, x, y, z)
            """, slow, transaction))
        {
            insert.Parameters.AddWithValue("device", device);
            insert.Parameters.AddWithValue("t", outside.Select(f => f.FixTimeUtc).ToArray());
            insert.Parameters.AddWithValue("x", outside.Select(f => f.Longitude).ToArray());
            insert.Parameters.AddWithValue("y", outside.Select(f => f.Latitude).ToArray());
            insert.Parameters.AddWithValue("z", outside.Select(f => f.AltitudeMetres ?? 450).ToArray());
            await insert.ExecuteNonQueryAsync();
        }

        await Task.Delay(200);
        var during = await check.RunAsync(DateTime.UtcNow); // must stop before the open transaction's start
        await transaction.CommitAsync();
        var after = await check.RunAsync(DateTime.UtcNow);

        Assert.Equal(0, during.Positions);
        Assert.Equal(outside.Count, after.Positions);
        Assert.Single(await AlarmsOfAsync(alarms, "out_of_boundary", "exc-slow"));
    }

    [Fact]
    public async Task TrackInsideTheLicence30MetresBelowItsFloor_RaisesOutOfElevation()
    {
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync("exc-deep", "equipment", licenceNo: Licence);
        var lower = await county.Db.ScalarAsync<double>("SELECT lower_m FROM mining_right WHERE licence_no = @l", ("l", Licence));
        var inside = (await TrackFile.ReadAsync(ExcavatorGpx, "exc-deep")).Take(600); // the first 50 min are inside
        await ingestor.IngestAsync([.. inside.Select(f => f with { AltitudeMetres = lower - 30 })]);

        await check.RunAsync(DateTime.UtcNow);

        Assert.Single(await AlarmsOfAsync(alarms, "out_of_elevation", "exc-deep"));
        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_boundary", "exc-deep"));
    }

    [Fact]
    public async Task TrackWithoutAltitude_NeverRaisesOutOfElevation()
    {
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync("exc-noalt", "equipment", licenceNo: Licence);
        var inside = (await TrackFile.ReadAsync(ExcavatorGpx, "exc-noalt")).Take(600);
        await ingestor.IngestAsync([.. inside.Select(f => f with { AltitudeMetres = null })]);

        await check.RunAsync(DateTime.UtcNow);

        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_elevation", "exc-noalt"));
        Assert.Equal(600, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'exc-noalt' AND p.altitude_m IS NULL"));
    }

    [Theory]
    [InlineData(20, 1)]
    [InlineData(2, 0)]
    public async Task VehicleStoppedAtASealedShaft_RaisesClosedMineActivityOnlyWhenItStays(int minutes, int expectedAlarms)
    {
        var (devices, ingestor, alarms, check) = Services();
        var key = $"truck-{minutes}min";
        await devices.AddAsync(key, "vehicle", "川A12345");
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-006-J1'");
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-006-J1'");
        var start = new DateTime(2026, 11, 12, 14, 0, 0, DateTimeKind.Utc);
        // Parked 12 m east of the shaft (1e-4° of longitude ≈ 9.7 m here), a fix every 30 s with metre-level jitter.
        var fixes = Enumerable.Range(0, minutes * 2 + 1).Select(i => new PositionFix(
            key, start.AddSeconds(30 * i), lon + 1.24e-4 + (i % 3) * 1e-5, lat + (i % 2) * 1e-5, 320, 8, 0, null, null, "batch")).ToList();
        await ingestor.IngestAsync(fixes);

        await check.RunAsync(DateTime.UtcNow);

        var raised = await AlarmsOfAsync(alarms, "closed_mine_activity", key);
        Assert.Equal(expectedAlarms, raised.Count);
        if (expectedAlarms == 1)
        {
            Assert.Equal("closed_mine", raised[0].ObjectKind);
            Assert.Contains("大安煤矿", raised[0].Title);
            Assert.Equal("red", raised[0].Severity);
        }
    }

    /// <summary>A licence of two blocks (the bureau's numbered layout): 远东采区 363…10 m, 西采区 250…−120 m.</summary>
    private const string TwoBlocks = """
        采矿许可证号：C2100002009071120031234
        坐标系统：2000国家大地坐标系
        1,4508414.6919,41526195.908
        2,4508642.9457,41527885.135
        3,4507311.9627,41528312.720
        4,4506198.3056,41527471.670
        5,4506748.3714,41526032.742
        *,363,10,远东采区,1,
        1,4507316.9045,41529580.456
        2,4507323.8303,41531270.771
        3,4508989.5594,41531263.755
        4,4508982.6331,41529573.819
        *,250,-120,西采区,1,
        """;

    [Theory]
    [InlineData("blk-east-300", 123.322, 40.702, 300, null)] // 远东采区 363…10: within
    [InlineData("blk-west-300", 123.365, 40.702, 300, 250.0)] // 西采区 250…−120: 50 m above (one band 363…−120 would pass it)
    [InlineData("blk-east-minus50", 123.322, 40.702, -50, 10.0)] // 远东采区: 60 m below its floor (one band would pass it)
    [InlineData("blk-west-minus50", 123.365, 40.702, -50, null)] // 西采区: within
    public async Task LicenceOfTwoBlocks_OutOfElevationAgainstTheBandOfTheBlockHoldingTheFix(string key, double lon, double lat, double altitude, double? bound)
    {
        var area = GeoMine.Geo.Licences.LicenceParser.Parse(TwoBlocks);
        await new GeoMine.Geo.Licences.MiningRightWriter(county.Db.ConnectionString).WriteAsync(area, null, "two-blocks.txt");
        // PostGIS confirms which block holds the point.
        var block = await county.Db.ScalarAsync<string>(
            "SELECT name FROM mining_right_block WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(@x, @y), 4490))", ("x", lon), ("y", lat));
        Assert.Equal(lon < 123.34 ? "远东采区" : "西采区", block);
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync(key, "equipment", licenceNo: "C2100002009071120031234");
        var start = DateTime.UtcNow.AddMinutes(-30);
        await ingestor.IngestAsync([.. Enumerable.Range(0, 15).Select(i => new PositionFix(key, start.AddSeconds(30 * i), lon, lat, altitude, 5, 0, null, null, "batch"))]);

        await check.RunAsync(DateTime.UtcNow);

        var raised = await AlarmsOfAsync(alarms, "out_of_elevation", key);
        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_boundary", key));
        if (bound is null)
        {
            Assert.Empty(raised);
        }
        else
        {
            var alarm = Assert.Single(raised);
            Assert.Contains(bound.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), alarm.Title);
        }
    }

    [Fact]
    public async Task MiningRightWithoutABand_BoundaryCheckedElevationNot()
    {
        var area = GeoMine.Geo.Licences.LicenceParser.Parse(TwoBlocks.Replace("C2100002009071120031234", "C2100002009071120039999"));
        await new GeoMine.Geo.Licences.MiningRightWriter(county.Db.ConnectionString).WriteAsync(area, null, "no-band.txt");
        // As a boundary dataset without 开采标高 leaves it: no blocks, no band.
        await county.Db.ScalarAsync<object?>("""
            UPDATE mining_right SET upper_m = NULL, lower_m = NULL, geom = ST_Multi(ST_Buffer(geom, 0)) WHERE licence_no = 'C2100002009071120039999';
            SELECT NULL
            """);
        Assert.Equal(0L, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM mining_right_block b JOIN mining_right r ON r.id = b.mining_right_id WHERE r.licence_no = 'C2100002009071120039999'"));
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync("noband", "equipment", licenceNo: "C2100002009071120039999");
        var start = DateTime.UtcNow.AddMinutes(-30);
        await ingestor.IngestAsync([.. Enumerable.Range(0, 15).Select(i => new PositionFix("noband", start.AddSeconds(30 * i), 123.365, 40.702, -900, 5, 0, null, null, "batch"))]);

        await check.RunAsync(DateTime.UtcNow);

        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_elevation", "noband"));
        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_boundary", "noband"));
    }

    [Theory]
    [InlineData("C2100002009071120030001", "有效期限：2019年7月1日至2025年6月30日", "已于 2025-06-30 到期")]
    [InlineData("C2100002009071120030002", "有效期限：2030年1月1日至2039年12月31日", "自 2030-01-01 起有效")]
    [InlineData("C2100002009071120030003", "有效期限：2019年7月1日至2039年6月30日", null)]
    public async Task WorkInsideTheLicensedArea_OutsideTheLicenceValidity_RaisesLicenceNotValid(string licenceNo, string validity, string? says)
    {
        var text = TwoBlocks.Replace("C2100002009071120031234", licenceNo).Replace("坐标系统", validity + "\n坐标系统");
        await new GeoMine.Geo.Licences.MiningRightWriter(county.Db.ConnectionString).WriteAsync(GeoMine.Geo.Licences.LicenceParser.Parse(text), null, "validity.txt");
        var key = $"valid-{licenceNo[^4..]}";
        var (devices, ingestor, alarms, check) = Services();
        await devices.AddAsync(key, "equipment", licenceNo: licenceNo);
        var start = DateTime.UtcNow.AddMinutes(-30);
        await ingestor.IngestAsync([.. Enumerable.Range(0, 15).Select(i => new PositionFix(key, start.AddSeconds(30 * i), 123.322, 40.702, 300, 5, 0, null, null, "batch"))]);

        await check.RunAsync(DateTime.UtcNow);

        var raised = await AlarmsOfAsync(alarms, "licence_not_valid", key);
        Assert.Empty(await AlarmsOfAsync(alarms, "out_of_boundary", key)); // the licence still defines the area
        if (says is null)
        {
            Assert.Empty(raised);
        }
        else
        {
            Assert.Contains(says, Assert.Single(raised).Title);
        }
    }
}
