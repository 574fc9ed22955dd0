using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Viewer.Tests.Shafts;

/// <summary>What the map page asks beside the tiles: a shaft's patrol details, search, and the viewer configuration.</summary>
public sealed class ShaftsApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task Shaft_NeverVisitedWithAResponsiblePerson_ShowsThemAndDueTimeInChinaTime()
    {
        var from = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await new ResponsibilityService(GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString)).AssignAsync(
            ResponsibleObject.Shaft("YC-CM-003-J1"), ResponsibilityRole.ResponsiblePerson, new ContactPerson("周八", "13900000088"), from);
        await using var app = new GeoMineApplication(county.Db);

        var shaft = await app.CreateClient().GetFromJsonAsync<JsonObject>("/api/shafts/YC-CM-003-J1");

        var person = Assert.Single(shaft!["responsible"]!.AsArray())!;
        Assert.Equal(("responsible_person", "周八"), (person["role"]!.GetValue<string>(), person["name"]!.GetValue<string>()));
        Assert.Null(shaft["last_visit"]);
        Assert.False(shaft["unassigned"]!.GetValue<bool>());
        Assert.Equal("2026-11-08T08:00:00+08:00", shaft["next_due"]!.GetValue<string>()); // assignment start + 7 days
    }

    [Fact]
    public async Task Shaft_Unknown_Is404_SearchWithoutText_Is400NamingQ()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var unknown = await client.GetAsync("/api/shafts/NO-SUCH");
        var empty = await client.GetAsync("/api/search?q=");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("q", (await empty.Content.ReadFromJsonAsync<JsonObject>())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_ByTownName_FindsTheTownWithItsExtent_LikeWildcardsAreLiteral()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var hits = (await client.GetFromJsonAsync<JsonObject>("/api/search?q=宝峰镇"))!["hits"]!.AsArray();
        var wildcard = (await client.GetFromJsonAsync<JsonObject>("/api/search?q=%25"))!["hits"]!.AsArray();

        var town = hits.First()!;
        Assert.Equal(("towns", "宝峰镇"), (town["layer"]!.GetValue<string>(), town["name"]!.GetValue<string>()));
        var box = town["bbox"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(await county.Db.ScalarAsync<double>("SELECT ST_XMin(geom) FROM jurisdiction WHERE name = '宝峰镇'"), box[0], 9);
        Assert.Empty(wildcard);
    }

    [Fact]
    public async Task ViewerConfig_NoBaseMapConfigured_IsNull_ConfiguredKeyIsFilledIn()
    {
        await using var offline = new GeoMineApplication(county.Db);
        var none = await offline.CreateClient().GetFromJsonAsync<JsonObject>("/api/viewer/config");
        Assert.Null(none!["base_map"]);

        await using var online = new GeoMineApplication(county.Db);
        await using var configured = online.WithWebHostBuilder(b => b
            .UseSetting("Viewer:BaseMap:Type", "xyz")
            .UseSetting("Viewer:BaseMap:Url", "https://tiles.example/{z}/{x}/{y}.png?key={key}")
            .UseSetting("Viewer:BaseMap:Key", "k123"));
        var map = (await configured.CreateClient().GetFromJsonAsync<JsonObject>("/api/viewer/config"))!["base_map"]!;
        Assert.Equal("https://tiles.example/{z}/{x}/{y}.png?key=k123", map["url"]!.GetValue<string>());
    }
}
