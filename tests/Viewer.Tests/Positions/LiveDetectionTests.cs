using System.Net.Http.Json;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Positions;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Positions;

/// <summary>Fixes are classified on the node that stored them, without waiting for the minute job: a running server with
/// its scheduler off still raises the 越界 alarm of an excavator's recorded track posted to its feed, within seconds.</summary>
public sealed class LiveDetectionTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task ATrackPostedToTheFeed_RaisesItsOutOfBoundaryAlarm_WithoutTheJob()
    {
        await new GeoMine.Patrol.Devices.DeviceRegistry(GeoDataSource.For(county.Db.ConnectionString), TimeProvider.System)
            .AddAsync("live-excavator", "equipment", "2号挖掘机", licenceNo: "C5001182019081130160072");
        var track = await TrackFile.ReadAsync(Path.Combine(TestPaths.SampleData, "tracks", "excavator_2026-11-10.gpx"), "live-excavator");
        await using var server = await LoopbackServer.StartAsync(county.Db); // the scheduler is off: no minute job

        using var http = new HttpClient();
        var started = DateTime.UtcNow;
        foreach (var batch in track.Chunk(500))
        {
            var sent = await http.PostAsJsonAsync($"{server.Root}/api/positions", batch.Select(f => new
            {
                device_id = f.DeviceKey, time = f.FixTimeUtc.ToString("O"), lon = f.Longitude, lat = f.Latitude,
                altitude_m = f.AltitudeMetres, accuracy_m = f.AccuracyMetres,
            }));
            Assert.Equal(System.Net.HttpStatusCode.OK, sent.StatusCode);
        }

        // Until the alarm is there and the live runs have classified every stored fix (the last batch may be taken by a
        // later run than the one that raised the alarm).
        long alarms = 0;
        var covered = false;
        while ((alarms == 0 || !covered) && DateTime.UtcNow - started < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
            alarms = await county.Db.ScalarAsync<long>(
                "SELECT count(*) FROM alarm a JOIN device d ON d.id = a.device_id WHERE d.device_key = 'live-excavator' AND a.kind = 'out_of_boundary'");
            covered = await county.Db.ScalarAsync<bool>(
                "SELECT coalesce((SELECT upto FROM job_watermark WHERE job = 'boundary-check') >= (SELECT max(received_at) FROM position), false)");
        }

        Assert.Equal(1, alarms);
        Assert.True(covered, "the live runs left stored fixes unclassified for 30 s");
    }
}
