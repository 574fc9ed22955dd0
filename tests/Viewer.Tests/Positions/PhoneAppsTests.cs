using System.Net;
using System.Text;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Devices;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Positions;

/// <summary>
/// What the phone apps send, as their source sends it: OsmAnd's own online tracking (its default URL template
/// <c>lat={0}&amp;lon={1}&amp;timestamp={2}&amp;hdop={3}&amp;altitude={4}&amp;speed={5}</c>, filled by LiveMonitoringHelper from
/// Android's Location: time in ms, hdop = getAccuracy() metres, speed = getSpeed() m/s) and Traccar Client (ProtocolFormatter:
/// timestamp in s, speed in knots, accuracy, batt, charge, alarm=sos).
/// </summary>
public sealed class PhoneAppsTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    private static HttpClient Feed(GeoMineApplication app) => app.CreateClient(new() { BaseAddress = new Uri("http://localhost:5055") });

    [Fact]
    public async Task OsmAndApp_DefaultTemplate_StoresSpeedInMetresPerSecondAndHdopAsAccuracy()
    {
        await using var app = new GeoMineApplication(db);
        var response = await Feed(app).GetAsync("/?id=osmand-app&lat=29.3512&lon=105.9023&timestamp=1793491200123&hdop=6.5&altitude=300.2&speed=4.2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (time, speed, accuracy) = await RowAsync("osmand-app");
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, 123, DateTimeKind.Utc), time);
        Assert.Equal(4.2, speed!.Value, 1e-12); // m/s as Location.getSpeed() gives it, not 4.2 knots (2.16 m/s)
        Assert.Equal(6.5, accuracy);
    }

    [Fact]
    public async Task TraccarClient_KnotsStay_AndSpeedUnitOverridesForOtherSenders()
    {
        await using var app = new GeoMineApplication(db);
        Assert.Equal(HttpStatusCode.OK, (await Feed(app).GetAsync(
            "/?id=traccar-client&timestamp=1793491200&lat=29.35&lon=105.90&speed=10&bearing=87&altitude=300&accuracy=8&batt=76&charge=true")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Feed(app).GetAsync("/?id=kmh-sender&timestamp=1793491200&lat=29.35&lon=105.90&speed=36&speed_unit=kmh")).StatusCode);
        var wrongUnit = await Feed(app).GetAsync("/?id=bad-unit&timestamp=1793491200&lat=29.35&lon=105.90&speed=3&speed_unit=mph");

        Assert.Equal(10 * 1852.0 / 3600, (await RowAsync("traccar-client")).Speed!.Value, 1e-9);
        Assert.Equal(10.0, (await RowAsync("kmh-sender")).Speed!.Value, 1e-9); // 36 km/h
        Assert.Equal(HttpStatusCode.BadRequest, wrongUnit.StatusCode);
        Assert.Contains("speed_unit", await wrongUnit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraccarClient_Sos_RaisesARedAlarmAboutThePhoneInTheTownOfTheFix_OncePerEpisode()
    {
        var data = GeoDataSource.Create(db.ConnectionString);
        await new DeviceRegistry(data, TimeProvider.System).AddAsync("sos-phone", "patrol_phone", ownerName: "王五");
        await db.ExecuteAsync("""
            INSERT INTO jurisdiction (code, name, level, geom)
            VALUES ('sos-town-a', '甲镇', 'town', ST_Multi(ST_MakeEnvelope(105.80, 29.30, 105.95, 29.40, 4490))),
                   ('sos-town-b', '乙镇', 'town', ST_Multi(ST_MakeEnvelope(105.95, 29.30, 106.10, 29.40, 4490)))
            """);
        await using var app = new GeoMineApplication(db);

        var first = await Feed(app).GetAsync("/?id=sos-phone&timestamp=1793491200&lat=29.35&lon=105.99&accuracy=5&batt=-1&alarm=sos");
        var again = await Feed(app).GetAsync("/?id=sos-phone&timestamp=1793491260&lat=29.351&lon=105.991&accuracy=5&batt=40&alarm=sos");
        var plain = await Feed(app).GetAsync("/?id=sos-phone&timestamp=1793491320&lat=29.352&lon=105.992&batt=40");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM alarm WHERE kind = 'phone_sos'"));
        Assert.Equal("red", await db.ScalarAsync<string>("SELECT severity FROM alarm WHERE kind = 'phone_sos'"));
        // The town is the one the fix lies in (105.99 E is in 乙镇), by PostGIS, not the device's registration.
        Assert.Equal("sos-town-b", await db.ScalarAsync<string>("SELECT j.code FROM alarm a JOIN jurisdiction j ON j.id = a.town_id WHERE a.kind = 'phone_sos'"));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT jsonb_array_length(evidence -> 'positions') FROM alarm WHERE kind = 'phone_sos'"));
        Assert.Contains("王五", await db.ScalarAsync<string>("SELECT title FROM alarm WHERE kind = 'phone_sos'"), StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT battery_pct IS NULL FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'sos-phone' AND p.fix_time = to_timestamp(1793491200)
            """)); // batt=-1: unknown, not -1 %

        // The alarm API shows where the SOS was sent from.
        var detail = await app.CreateClient().GetStringAsync($"/api/alarms/{await db.ScalarAsync<long>("SELECT id FROM alarm WHERE kind = 'phone_sos'")}");
        Assert.Contains("\"lon\":105.991", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraccarJson_ArrayBody_StoresEveryFix()
    {
        await using var app = new GeoMineApplication(db);
        var body = """
            [{"device_id":"sdk-phone","location":{"timestamp":"2026-11-01T00:00:00Z","coords":{"latitude":29.35,"longitude":105.9,"speed":1.5,"accuracy":4}}},
             {"device_id":"sdk-phone","location":{"timestamp":"2026-11-01T00:01:00Z","coords":{"latitude":29.351,"longitude":105.901,"speed":1.6,"accuracy":4}}}]
            """;
        var response = await Feed(app).PostAsync("/", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'sdk-phone'"));
    }

    private async Task<(DateTime Time, double? Speed, double? Accuracy)> RowAsync(string key)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT p.fix_time, p.speed_mps, p.accuracy_m FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = @key
            """, connection);
        command.Parameters.AddWithValue("key", key);
        await using var r = await command.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"no position stored for {key}");
        return (r.GetDateTime(0), r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2));
    }
}
