using System.Net;
using System.Net.Http.Json;
using System.Text;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Viewer.Tests.Positions;

public sealed class PositionFeedTests(PostgisFixture db) : IClassFixture<PostgisFixture>, IAsyncLifetime
{
    private GeoMineApplication _app = null!;

    public Task InitializeAsync()
    {
        _app = new GeoMineApplication(db);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient TraccarClient() => _app.CreateClient(new() { BaseAddress = new Uri("http://localhost:5055") });

    [Fact]
    public async Task OsmAnd_GetWithEpochSeconds_StoresTheFixWithSpeedConvertedFromKnots()
    {
        var response = await TraccarClient().GetAsync(
            "/?id=phone-get&timestamp=1793491200&lat=29.3512&lon=105.9023&speed=10&bearing=87.5&altitude=312.4&accuracy=8&batt=76");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await RowAsync("phone-get");
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), row.Time); // date -u -d @1793491200
        Assert.Equal(105.9023, row.Lon, 1e-12);
        Assert.Equal(29.3512, row.Lat, 1e-12);
        Assert.Equal(10 * 1852.0 / 3600, row.Speed!.Value, 1e-9); // 10 knots = 5.1444 m/s
        Assert.Equal(312.4, row.Altitude);
        Assert.Equal(8, row.Accuracy);
        Assert.Equal(76, row.Battery);
    }

    [Fact]
    public async Task OsmAnd_PostWithMillisecondsInQuery_StoresTheFix()
    {
        var response = await TraccarClient().PostAsync("/?id=phone-ms&timestamp=1793491200123&lat=29.35&lon=105.90", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, 123, DateTimeKind.Utc), (await RowAsync("phone-ms")).Time);
    }

    [Fact]
    public async Task OsmAnd_PostFormWithIsoTime_StoresTheFix()
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = "phone-form", ["timestamp"] = "2026-11-02T08:30:00+08:00", ["lat"] = "29.36", ["lon"] = "105.91",
        });

        var response = await TraccarClient().PostAsync("/", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTime(2026, 11, 2, 0, 30, 0, DateTimeKind.Utc), (await RowAsync("phone-form")).Time);
    }

    [Fact]
    public async Task OsmAnd_LocationParameter_StoresTheFix()
    {
        var response = await TraccarClient().GetAsync("/?id=phone-loc&timestamp=1793491200&location=29.37,105.92");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(105.92, (await RowAsync("phone-loc")).Lon, 1e-12);
    }

    [Fact]
    public async Task OsmAnd_JsonBody_StoresTheFixWithBatteryAsPercent()
    {
        const string body = """
            {"location":{"timestamp":"2026-11-03T01:02:03.456Z","coords":{"latitude":29.38,"longitude":105.93,
             "speed":4.5,"heading":181,"altitude":298.1,"accuracy":5},"battery":{"level":0.85,"is_charging":false},
             "is_moving":true,"odometer":0},"device_id":"phone-json"}
            """;

        var response = await TraccarClient().PostAsync("/", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await RowAsync("phone-json");
        Assert.Equal(new DateTime(2026, 11, 3, 1, 2, 3, 456, DateTimeKind.Utc), row.Time);
        Assert.Equal(4.5, row.Speed);
        Assert.Equal(85, row.Battery!.Value, 1e-9);
        Assert.Equal(298.1, row.Altitude);
    }

    [Theory]
    [InlineData("/?timestamp=1793491200&lat=29.35&lon=105.90", "id")]
    [InlineData("/?id=bad-lat&timestamp=1793491200&lat=abc&lon=105.90", "lat")]
    [InlineData("/?id=bad-lon&timestamp=1793491200&lat=29.35", "lon")]
    [InlineData("/?id=bad-time&timestamp=yesterday&lat=29.35&lon=105.90", "timestamp")]
    [InlineData("/?id=bad-speed&timestamp=1793491200&lat=29.35&lon=105.90&speed=fast", "speed")]
    public async Task OsmAnd_MalformedRequest_400NamingTheFieldAndNothingStored(string query, string field)
    {
        var before = await CountAsync();

        var response = await TraccarClient().GetAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", await DetailAsync(response));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task OsmAnd_JsonWithNonNumericLatitude_400NamingTheField()
    {
        const string body = """{"device_id":"json-bad","location":{"timestamp":"2026-11-03T01:02:03Z","coords":{"latitude":"x","longitude":105.9}}}""";

        var response = await TraccarClient().PostAsync("/", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("location.coords.latitude:", await DetailAsync(response));
    }

    [Fact]
    public async Task Batch_OneBadElement_400WithIndexAndFieldAndNothingStored()
    {
        var before = await CountAsync();
        var batch = new object[]
        {
            new { device_id = "batch-ok", time = "2026-11-04T00:00:00Z", lon = 105.9, lat = 29.3 },
            new { device_id = "batch-ok", time = "2026-11-04T00:00:05Z", lon = 105.9 },
        };

        var response = await _app.CreateClient().PostAsJsonAsync("/api/positions", batch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[1].lat: missing", await DetailAsync(response));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Batch_SentTwice_StoresEveryFixOnceAndCountsTheResendAsDuplicates()
    {
        var batch = Enumerable.Range(0, 50).Select(i => new
        {
            device_id = "batch-twice", time = new DateTime(2026, 11, 5, 0, 0, 0, DateTimeKind.Utc).AddSeconds(5 * i).ToString("O"),
            lon = 105.9 + i * 1e-5, lat = 29.3, accuracy_m = 6.0,
        }).ToArray();
        var client = _app.CreateClient();

        var first = await (await client.PostAsJsonAsync("/api/positions", batch)).Content.ReadFromJsonAsync<BatchResponse>();
        var second = await (await client.PostAsJsonAsync("/api/positions", batch)).Content.ReadFromJsonAsync<BatchResponse>();

        Assert.Equal(50, first!.Stored);
        Assert.Equal(0, second!.Stored);
        Assert.Equal(50, second.Rejected["duplicate"]);
        Assert.Equal(50, await db.ScalarAsync<long>("SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'batch-twice'"));
    }

    [Fact]
    public async Task Batch_SameDeviceAndTimeTwiceInOneRequest_StoresTheFirstAsSentAndCountsADuplicate()
    {
        var start = new DateTime(2026, 11, 6, 0, 0, 0, DateTimeKind.Utc);
        var batch = Enumerable.Range(0, 40).Select(i => new
        {
            device_id = "batch-same-time", time = start.AddSeconds(5 * i).ToString("O"), lon = 105.9 + i * 1e-5, lat = 29.3, accuracy_m = 6.5,
        }).Reverse().Append(new { device_id = "batch-same-time", time = start.AddSeconds(15).ToString("O"), lon = 105.95, lat = 29.35, accuracy_m = 6.5 })
            .ToArray();

        var response = await (await _app.CreateClient().PostAsJsonAsync("/api/positions", batch)).Content.ReadFromJsonAsync<BatchResponse>();

        Assert.Equal(40, response!.Stored);
        Assert.Equal(1, response.Rejected["duplicate"]);
        var stored = await db.ScalarAsync<string>("""
            SELECT concat_ws(' ', ST_AsText(p.geom), ST_SRID(p.geom), p.fix_time AT TIME ZONE 'UTC', p.accuracy_m, coalesce(p.altitude_m::text, 'null'), p.source)
            FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'batch-same-time' AND p.fix_time = '2026-11-06 00:00:15Z'
            """);
        Assert.Equal("POINT(105.90003 29.3) 4490 2026-11-06 00:00:15 6.5 null batch", stored);
    }

    [Fact]
    public async Task Batch_ImplausibleFixes_AreRefusedAndCountedByReason()
    {
        var now = DateTime.UtcNow;
        var batch = new object[]
        {
            new { device_id = "filter", time = now.AddMinutes(-10).ToString("O"), lon = 105.90, lat = 29.30, accuracy_m = 5.0 },
            new { device_id = "filter", time = now.AddMinutes(-9).ToString("O"), lon = 0.0, lat = 0.0 },
            new { device_id = "filter", time = now.AddMinutes(-8).ToString("O"), lon = 105.90, lat = 95.0 },
            new { device_id = "filter", time = now.AddDays(2).ToString("O"), lon = 105.90, lat = 29.30 },
            new { device_id = "filter", time = now.AddMinutes(-7).ToString("O"), lon = 105.90, lat = 29.30, accuracy_m = 900.0 },
            // 1 degree of longitude (~97 km) in 10 s.
            new { device_id = "filter", time = now.AddMinutes(-10).AddSeconds(10).ToString("O"), lon = 106.90, lat = 29.30 },
        };

        var result = await (await _app.CreateClient().PostAsJsonAsync("/api/positions", batch)).Content.ReadFromJsonAsync<BatchResponse>();

        Assert.Equal(1, result!.Stored);
        Assert.Equal(new Dictionary<string, int>
        {
            ["zero_coordinates"] = 1, ["out_of_range"] = 1, ["future_time"] = 1, ["poor_accuracy"] = 1, ["impossible_speed"] = 1,
        }, result.Rejected);
        Assert.Equal(5, await db.ScalarAsync<long>("SELECT sum(count)::bigint FROM position_rejection WHERE device_key = 'filter'"));
    }

    [Fact]
    public async Task OsmAnd_UnknownDevice_KeepsItsFixesAsUnregisteredActivity()
    {
        await TraccarClient().GetAsync("/?id=stranger-7&timestamp=1793491200&lat=29.35&lon=105.90");

        Assert.Equal(1, await db.ScalarAsync<long>(
            "SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'stranger-7' AND NOT d.registered AND d.kind = 'unknown'"));
    }

    [Fact]
    public async Task OsmAnd_Gcj02Device_StoresTheFixCorrectedToWgs84()
    {
        // Published eviltransform vector (Shanghai): WGS84 (31.1774276, 121.5272106) is GCJ-02 (31.17530398364597, 121.531541859215).
        var registry = new GeoMine.Patrol.Devices.DeviceRegistry(GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString), TimeProvider.System);
        await registry.AddAsync("amap-phone", "patrol_phone", coordinateSystem: "gcj02");

        var response = await TraccarClient().GetAsync("/?id=amap-phone&timestamp=1793491200&lat=31.17530398364597&lon=121.531541859215");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await RowAsync("amap-phone");
        Assert.Equal(121.5272106, row.Lon, 1e-7); // 1e-7° ≈ 1 cm
        Assert.Equal(31.1774276, row.Lat, 1e-7);
    }

    private sealed record BatchResponse(int Submitted, int Stored, Dictionary<string, int> Rejected);

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("detail").GetString()!;
    }

    private Task<long> CountAsync() => db.ScalarAsync<long>("SELECT count(*) FROM position");

    private async Task<(DateTime Time, double Lon, double Lat, double? Speed, double? Altitude, double? Accuracy, double? Battery)> RowAsync(string key)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT p.fix_time, ST_X(p.geom), ST_Y(p.geom), p.speed_mps, p.altitude_m, p.accuracy_m, p.battery_pct
            FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = @key
            """, connection);
        command.Parameters.AddWithValue("key", key);
        await using var r = await command.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"no position stored for {key}");
        double? N(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
        return (r.GetDateTime(0), r.GetDouble(1), r.GetDouble(2), N(3), N(4), N(5), N(6));
    }
}
