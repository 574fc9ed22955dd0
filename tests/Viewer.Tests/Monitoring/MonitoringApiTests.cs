using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoMine.Patrol.Monitoring;
using GeoMine.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GeoMine.Viewer.Tests.Monitoring;

public sealed class MonitoringApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Pond = "YC-TP-03";

    private static async Task RegisterAsync(GeoMineApplication app)
    {
        var registry = app.Services.GetRequiredService<MonitoringRegistry>();
        await registry.AddPointAsync(Pond, "SD-1", "surface_displacement");
        await registry.AddPointAsync(Pond, "WL-1", "water_level");
        await registry.SetThresholdsAsync(Pond, "surface_displacement", new(20, 30, 40, 50, ThresholdDirection.Above));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<long> ReadingsAsync() => county.Db.ScalarAsync<long>(
        "SELECT count(*) FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id JOIN tailings_pond t ON t.id = p.pond_id WHERE t.code = @c",
        ("c", Pond));

    [Fact]
    public async Task Post_ReadingPastRed_200StoredInCanonicalUnitsAndRedAlarmRaisedWithinTheRequest()
    {
        await using var app = new GeoMineApplication(county.Db);
        await RegisterAsync(app);

        var response = await app.CreateClient().PostAsync("/api/monitoring", Json("""
            {"readings": [
              {"pond": "YC-TP-03", "point": "SD-1", "item": "surface_displacement", "measured_at": "2026-05-20T08:00:00+08:00", "value": 5.2, "unit": "cm"},
              {"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "measured_at": "2026-05-20T08:00:00+08:00", "value": 312.4, "unit": "m"}
            ]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("stored").GetInt32());
        var pond = json.RootElement.GetProperty("ponds")[0];
        Assert.Equal(("red", "raised"), (pond.GetProperty("level").GetString(), pond.GetProperty("alarm").GetString()));
        Assert.Equal(52.0, await county.Db.ScalarAsync<double>(
            "SELECT value FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id WHERE p.code = 'SD-1'"), 9);
        Assert.Equal("red", await county.Db.ScalarAsync<string>("""
            SELECT a.severity FROM alarm a JOIN tailings_pond t ON t.id = a.object_id
            WHERE a.kind = 'monitoring_level' AND a.object_kind = 'tailings_pond' AND t.code = 'YC-TP-03' AND a.ended_at IS NULL
            """));
    }

    [Theory]
    [InlineData("""{"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "measured_at": "2026-05-20T09:00:00+08:00", "value": "high", "unit": "m"}""",
        "[1].value: 'high' is not a number")]
    [InlineData("""{"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "measured_at": "2026-05-20T09:00:00+08:00", "value": 1024, "unit": "ft"}""",
        "[1].unit: 'ft' is not a unit of water_level (accepted: m, cm, mm)")]
    [InlineData("""{"pond": "YC-TP-03", "point": "WL-7", "item": "water_level", "measured_at": "2026-05-20T09:00:00+08:00", "value": 312.5, "unit": "m"}""",
        "[1].point: no monitoring point 'WL-7' registered at YC-TP-03")]
    [InlineData("""{"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "value": 312.5, "unit": "m"}""",
        "[1].measured_at: missing")]
    public async Task Post_BatchWithOneBadReading_400NamingIndexAndFieldAndNothingStored(string bad, string expected)
    {
        await using var app = new GeoMineApplication(county.Db);
        await RegisterAsync(app);
        var before = await ReadingsAsync();

        var response = await app.CreateClient().PostAsync("/api/monitoring", Json($$"""
            {"readings": [
              {"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "measured_at": "2026-05-20T10:00:00+08:00", "value": 312.6, "unit": "m"},
              {{bad}}
            ]}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(expected, Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray()).GetString());
        Assert.Contains(expected, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(before, await ReadingsAsync());
    }

    [Fact]
    public async Task Post_NotJson_400()
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().PostAsync("/api/monitoring", Json("{\"readings\": [ {"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("body: not JSON", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_DatabaseUnreachable_503WithRetryAfter()
    {
        var nowhere = $"Host=127.0.0.1;Port={FreePort.Next()};Username=geomine;Password=x;Database=geomine;Timeout=3";
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("GeoMine:ConnectionString", nowhere));

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Token", "gm_the-monitoring-platform"); // checking it needs the database too
        var response = await client.PostAsync("/api/monitoring", Json("""
            {"readings": [{"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "measured_at": "2026-05-20T08:00:00+08:00", "value": 312.4, "unit": "m"}]}
            """));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task GetPoints_AfterAReading_ListsItsValueAndLevel()
    {
        await using var app = new GeoMineApplication(county.Db);
        var registry = app.Services.GetRequiredService<MonitoringRegistry>();
        await registry.AddPointAsync("YC-TP-05", "ID-1", "internal_displacement");
        await registry.SetThresholdsAsync("YC-TP-05", "internal_displacement", new(20, 30, 40, 50, ThresholdDirection.Above));
        await app.Services.GetRequiredService<MonitoringReadingStore>().StoreAsync(
            [new ReadingInput("[0]", "YC-TP-05", "ID-1", "internal_displacement", new DateTime(2026, 5, 21, 0, 0, 0, DateTimeKind.Utc), 2.5, "cm")]);

        var points = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/monitoring/points?pond=YC-TP-05");

        var point = Assert.Single(points.EnumerateArray());
        Assert.Equal(("ID-1", 25.0, "blue"), (point.GetProperty("code").GetString(), point.GetProperty("last_value").GetDouble(), point.GetProperty("level").GetString()));
    }
}
