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

    private NpgsqlDataSource Db => NpgsqlDataSource.Create(county.Db.ConnectionString);

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
}
