using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Visits;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Patrol.Tests.Visits;

/// <summary>Visits found in the shipped patrol tracks; expected stops from data/shapefiles/README.md.</summary>
public sealed class PatrolVisitTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly string Tracks = Path.Combine(TestPaths.SampleData, "tracks");

    private async Task<(PatrolVisitService Visits, long DeviceId)> IngestAsync(string gpx, string key)
    {
        var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var devices = new DeviceRegistry(db, TimeProvider.System);
        var device = await devices.AddAsync(key, "patrol_phone", "巡查手机");
        var ingestor = new PositionIngestor(db, devices, new PositionPartitions(db), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        await ingestor.IngestAsync(await TrackFile.ReadAsync(Path.Combine(Tracks, gpx), key));
        return (new PatrolVisitService(db, Options.Create(new VisitOptions { CommitLag = TimeSpan.Zero })), device.Id);
    }

    private async Task<List<(string Code, DateTime Arrived, DateTime Left, double Metres)>> VisitsOfAsync(long deviceId)
    {
        await using var connection = await county.Db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT s.code, v.arrived_at, v.left_at, v.min_distance_m FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id
            WHERE v.device_id = @d ORDER BY v.arrived_at
            """, connection);
        command.Parameters.AddWithValue("d", deviceId);
        await using var r = await command.ExecuteReaderAsync();
        var list = new List<(string, DateTime, DateTime, double)>();
        while (await r.ReadAsync())
        {
            list.Add((r.GetString(0), r.GetDateTime(1), r.GetDateTime(2), r.GetDouble(3)));
        }

        return list;
    }

    [Fact]
    public async Task RunAsync_HongLuPatrolStoppingAtThreeShafts_ExactlyThreeVisitsJ1J2J3()
    {
        var (visits, device) = await IngestAsync("patrol_2026-11-02_hongLu.gpx", "phone-honglu");

        await visits.RunAsync(DateTime.UtcNow);
        await visits.RunAsync(DateTime.UtcNow); // nothing new: nothing changes

        var found = await VisitsOfAsync(device);
        Assert.Equal(["YC-CM-001-J1", "YC-CM-001-J2", "YC-CM-001-J3"], found.Select(v => v.Code));
        // README: the longest stretches within 20 m last 270 s, 295 s and 390 s; the 50 m circle holds at least those.
        Assert.Equal([true, true, true], found.Zip([270, 295, 390], (v, s) => (v.Left - v.Arrived).TotalSeconds >= s));
        Assert.All(found, v => Assert.InRange(v.Metres, 0, 20));
    }

    [Fact]
    public async Task RunAsync_ShuangShiDriveByThenParking_NoVisitAtTheDriveByOneAtTheParkedShaft()
    {
        var (visits, device) = await IngestAsync("patrol_2026-11-09_shuangShi.gpx", "phone-shuangshi");

        await visits.RunAsync(DateTime.UtcNow);

        var visit = Assert.Single(await VisitsOfAsync(device));
        Assert.Equal("YC-CM-006-J1", visit.Code);
        Assert.True((visit.Left - visit.Arrived).TotalSeconds >= 310, $"{visit.Left - visit.Arrived}");
        Assert.InRange(visit.Metres, 0, 10); // README: parks 8 m from the shaft (GPS jitter brings the closest fix nearer)
    }

    [Theory]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(35)]
    [InlineData(40)]
    [InlineData(45)]
    [InlineData(50)]
    public async Task RunAsync_TrackArrivingInTwoBatches_SameThreeVisitsAsAllAtOnce(int splitMinute)
    {
        var key = $"phone-honglu-split{splitMinute}";
        var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        var devices = new DeviceRegistry(db, TimeProvider.System);
        var device = await devices.AddAsync(key, "patrol_phone");
        var ingestor = new PositionIngestor(db, devices, new PositionPartitions(db), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        var visits = new PatrolVisitService(db, Options.Create(new VisitOptions { CommitLag = TimeSpan.Zero }));
        var track = await TrackFile.ReadAsync(Path.Combine(Tracks, "patrol_2026-11-02_hongLu.gpx"), key);
        var split = new DateTime(2026, 11, 2, 1, splitMinute, 0, DateTimeKind.Utc); // the track runs 01:12–01:57Z

        await ingestor.IngestAsync([.. track.Where(f => f.FixTimeUtc < split)]);
        await visits.RunAsync(DateTime.UtcNow);
        await ingestor.IngestAsync([.. track.Where(f => f.FixTimeUtc >= split)]);
        await visits.RunAsync(DateTime.UtcNow);

        var found = await VisitsOfAsync(device.Id);
        Assert.Equal(["YC-CM-001-J1", "YC-CM-001-J2", "YC-CM-001-J3"], found.Select(v => v.Code));
        Assert.Equal([true, true, true], found.Zip([270, 295, 390], (v, s) => (v.Left - v.Arrived).TotalSeconds >= s));
    }

    [Fact]
    public async Task ScanDeviceAsync_SamePeriodTwice_SameVisitsStoredOnce()
    {
        var (visits, device) = await IngestAsync("patrol_2026-11-02_hongLu.gpx", "phone-honglu-rescan");
        var day = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);

        var first = await visits.ScanDeviceAsync(device, day, day.AddDays(1));
        var second = await visits.ScanDeviceAsync(device, day.AddHours(1).AddMinutes(20), day.AddDays(1)); // starts inside the J1 stop

        Assert.Equal(3, first.Count);
        Assert.Equal(3, (await VisitsOfAsync(device)).Count);
        Assert.Equal(first.Select(v => v.ArrivedAt), (await VisitsOfAsync(device)).Select(v => v.Arrived));
        Assert.NotEmpty(second);
    }
}
