using System.Net.Http.Headers;
using System.Text.Json;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Alarms;

/// <summary>The live alarm list's stream: a coordinator's stream on node B hears an alarm raised through node A's feed in
/// their town (PostgreSQL NOTIFY reaches every node), and nothing of another town's alarm.</summary>
public sealed class AlarmStreamTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task AStreamOnNodeB_HearsAnAlarmRaisedOnNodeA_InTheCallersTownsOnly()
    {
        var town = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-001-J1'");
        var otherTown = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' AND code <> @t ORDER BY code LIMIT 1", ("t", town));
        var token = await TestUsers.TokenAsync(county.Db, "stream-coordinator", GeoMine.Viewer.Access.Roles.TownCoordinator, [town]);
        await new GeoMine.Patrol.Devices.DeviceRegistry(GeoDataSource.For(county.Db.ConnectionString), TimeProvider.System)
            .AddAsync("stream-sos-phone", "patrol_phone", ownerName: "钱巡查");
        var (lon, lat) = (await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"),
            await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"));
        await using var nodeA = await LoopbackServer.StartAsync(county.Db, "--GeoMine:NodeName=node-a");
        await using var nodeB = await LoopbackServer.StartAsync(county.Db, "--GeoMine:NodeName=node-b");

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{nodeB.Root}/api/alarms/stream");
        request.Headers.Add("X-Api-Token", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("node-b", response.Headers.GetValues("X-GeoMine-Node").Single());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: ping", await reader.ReadLineAsync()); // the stream is open (and subscribed)

        // Another town's alarm first (written straight into the database: any writer), then an SOS through node A's feed.
        Assert.Equal(1, await county.Db.ExecuteAsync("""
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT 'seal_finding', 'red', 'sealed_shaft', s.id, m.town_id, 'other town', now(), now(), '{}'
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code = @t LIMIT 1
            """, ("t", otherTown)));
        using var phone = new HttpClient();
        var sos = await phone.GetAsync(FormattableString.Invariant(
            $"{nodeA.Root}/api/osmand?id=stream-sos-phone&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&lat={lat}&lon={lon}&accuracy=5&alarm=sos"));
        Assert.Equal("node-a", sos.Headers.GetValues("X-GeoMine-Node").Single());
        var sosId = await county.Db.ScalarAsync<long>(
            "SELECT a.id FROM alarm a JOIN device d ON d.id = a.object_id WHERE a.kind = 'phone_sos' AND d.device_key = 'stream-sos-phone'");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonElement? heard = null;
        while (heard is null)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is "event: alarm")
            {
                var data = await reader.ReadLineAsync(timeout.Token);
                heard = JsonDocument.Parse(data!["data: ".Length..]).RootElement.Clone();
            }
        }

        Assert.Equal(sosId, heard.Value.GetProperty("id").GetInt64()); // the first alarm heard: not the other town's
        Assert.Equal("raised", heard.Value.GetProperty("change").GetString());
        Assert.Equal("red", heard.Value.GetProperty("severity").GetString());
    }
}
