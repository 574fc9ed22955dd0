using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Viewer.Tests.Coverage;

/// <summary>The coverage API on a patrol phone's track sent through <c>POST /api/positions</c>: 600 m east in 10 min
/// (a fix a minute, 60 m apart, laid out in EPSG:4544 metres and converted by PostGIS), by the person responsible
/// for shaft YC-CM-005-J1 since 30 days before.</summary>
public sealed class CoverageApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Period = "from=2026-11-10T00:00&to=2026-11-11T00:00&mine=YC-CM-005";

    private async Task<GeoMineApplication> AppWithTrackAsync()
    {
        var app = new GeoMineApplication(county.Db);
        var db = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString);
        await new DeviceRegistry(db, TimeProvider.System).AddAsync("phone-zhao", "patrol_phone", ownerName: "赵六");
        await new ResponsibilityService(db).AssignAsync(ResponsibleObject.Shaft("YC-CM-005-J1"), ResponsibilityRole.ResponsiblePerson,
            new ContactPerson("赵六", null), new DateTime(2026, 10, 11, 0, 0, 0, DateTimeKind.Utc));
        var start = new DateTime(2026, 11, 10, 2, 0, 0, DateTimeKind.Utc); // 10:00 China time
        var fixes = new List<object>();
        for (var i = 0; i <= 10; i++)
        {
            var (lon, lat) = await LonLatAsync(500_050 + (60 * i), 3_260_050);
            fixes.Add(new { device_id = "phone-zhao", time = start.AddMinutes(i).ToString("O", CultureInfo.InvariantCulture), lon, lat, accuracy_m = 5 });
        }

        var stored = await app.CreateClient().PostAsJsonAsync("/api/positions", fixes);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        return app;
    }

    private async Task<(double Lon, double Lat)> LonLatAsync(double x, double y)
    {
        const string point = "ST_Transform(ST_SetSRID(ST_MakePoint(@x, @y), 4544), 4490)";
        return (await county.Db.ScalarAsync<double>($"SELECT ST_X({point})", ("x", x), ("y", y)),
            await county.Db.ScalarAsync<double>($"SELECT ST_Y({point})", ("x", x), ("y", y)));
    }

    [Fact]
    public async Task CoverageApis_MineWithOnePatrolledTrack_GeoJsonSegmentAndShaftsTablesWithFigures()
    {
        await using var app = await AppWithTrackAsync();
        var client = app.CreateClient();

        var geo = await client.GetAsync($"/api/patrol/coverage.geojson?{Period}");
        var tables = await client.GetAsync($"/api/patrol/coverage?{Period}&area=exact");

        Assert.Equal(HttpStatusCode.OK, geo.StatusCode);
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType!.MediaType);
        using var fc = JsonDocument.Parse(await geo.Content.ReadAsStringAsync());
        Assert.Equal("FeatureCollection", fc.RootElement.GetProperty("type").GetString());
        var features = fc.RootElement.GetProperty("features").EnumerateArray().ToList();
        var line = Assert.Single(features, f => f.GetProperty("geometry").GetProperty("type").GetString() == "LineString");
        var p = line.GetProperty("properties");
        Assert.Equal("phone-zhao", p.GetProperty("device").GetString());
        Assert.Equal("赵六", p.GetProperty("person").GetString());
        Assert.Equal("2026-11-10T10:00:00+08:00", p.GetProperty("start").GetString());
        Assert.Equal("2026-11-10T10:10:00+08:00", p.GetProperty("end").GetString());
        Assert.Equal(0.6, p.GetProperty("km").GetDouble(), 1e-3);
        var coordinates = line.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().ToList();
        Assert.Equal(11, coordinates.Count);
        var (lon0, lat0) = await LonLatAsync(500_050, 3_260_050);
        Assert.Equal(lon0, coordinates[0][0].GetDouble(), 1e-9); // lon first (CRS84)
        Assert.Equal(lat0, coordinates[0][1].GetDouble(), 1e-9);
        var shafts = features.Where(f => f.GetProperty("geometry").GetProperty("type").GetString() == "Point")
            .Select(f => f.GetProperty("properties")).ToList();
        Assert.Equal(["YC-CM-005-J1", "YC-CM-005-J2"], shafts.Select(s => s.GetProperty("code").GetString()));
        // J1: responsible from 2026-10-11 08:00 China, never visited, interval 7 days → due 10-18, overdue. J2: nobody, never visited.
        Assert.Equal(["overdue", "never_visited"], shafts.Select(s => s.GetProperty("status").GetString()));
        Assert.Equal("2026-10-18T08:00:00+08:00", shafts[0].GetProperty("next_due").GetString());
        Assert.Equal(JsonValueKind.Null, shafts[1].GetProperty("next_due").ValueKind);

        Assert.Equal(HttpStatusCode.OK, tables.StatusCode);
        using var json = JsonDocument.Parse(await tables.Content.ReadAsStringAsync());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("shafts").GetInt32());
        Assert.Equal(0, summary.GetProperty("visited_within_interval_pct").GetDouble());
        Assert.Equal(1, summary.GetProperty("segments").GetInt32());
        Assert.Equal(0.6, summary.GetProperty("km").GetDouble(), 1e-3);
        Assert.Equal(10.0 / 60, summary.GetProperty("hours").GetDouble(), 1e-3);
        // 600 m × 50 m swath + a 25 m disc (32-gon, 1 950.9 m²) = 31 950.9 m²; cells x 500 000…500 700, row 3 260 000: 7.
        Assert.Equal(0.031951, summary.GetProperty("buffered_area_km2").GetDouble(), 1e-6); // asked for: area=exact
        Assert.Equal(7, summary.GetProperty("cells").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("shafts").GetArrayLength());
    }

    [Theory]
    [InlineData("from=yesterday&to=2026-11-11T00:00", "from")]
    [InlineData("to=2026-11-11T00:00", "from")]
    [InlineData("from=2026-11-11T00:00&to=2026-11-10T00:00", "to")]
    [InlineData("from=2026-11-10T00:00&to=2026-11-11T00:00&town=不存在镇", "town")]
    [InlineData("from=2026-11-10T00:00&to=2026-11-11T00:00&mine=YC-CM-999", "mine")]
    [InlineData("from=2026-11-10T00:00&to=2026-11-11T00:00&area=approx", "area")]
    public async Task Coverage_BadParameter_400NamingIt(string query, string parameter)
    {
        await using var app = new GeoMineApplication(county.Db);

        var response = await app.CreateClient().GetAsync($"/api/patrol/coverage.geojson?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, problem.RootElement.GetProperty("field").GetString());
        Assert.StartsWith(parameter + ":", problem.RootElement.GetProperty("detail").GetString());
    }
}
