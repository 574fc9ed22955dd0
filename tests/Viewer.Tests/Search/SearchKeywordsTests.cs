using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Search;

/// <summary>
/// The search box's keywords: 头顶库 finds the 头顶库 of the demo county as data/shapefiles/README.md works them out by hand
/// (YC-TP-01 and YC-TP-04; YC-TP-03 is 581 m away in a straight line but 1,500 m along its valley), 逾期 the shaft made
/// overdue here, 无责任人 every shaft PostgreSQL finds without a current responsible person; within the caller's towns;
/// and names are ordered exact first, then by kind in the map's layer order.
/// </summary>
public sealed class SearchKeywordsTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static async Task<(string Layer, string Code, string? Keyword)[]> HitsAsync(HttpClient client, string q, int limit = 100) =>
        [.. (await client.GetFromJsonAsync<JsonObject>($"/api/search?q={Uri.EscapeDataString(q)}&limit={limit}"))!["hits"]!.AsArray()
            .Select(h => (h!["layer"]!.GetValue<string>(), h["code"]!.GetValue<string>(), h["keyword"]?.GetValue<string>()))];

    [Fact]
    public async Task HeadPond_FindsThePondsTheReadmeWorksOut_InChineseAndEnglish_WithinTheCallersTowns()
    {
        await using var app = new GeoMineApplication(county.Db);
        var bureau = app.CreateClient();
        Assert.Equal([("tailings", "YC-TP-01", "head_pond"), ("tailings", "YC-TP-04", "head_pond")], await HitsAsync(bureau, "头顶库"));
        Assert.Equal(["YC-TP-01", "YC-TP-04"], (await HitsAsync(bureau, "Head Pond")).Select(h => h.Code));

        var baofeng = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE name = '宝峰镇'");
        var coordinator = await app.CreateClientAsAsync("search-baofeng", GeoMine.Viewer.Access.Roles.TownCoordinator, baofeng);
        Assert.Equal([("tailings", "YC-TP-04", "head_pond")], await HitsAsync(coordinator, "头顶库"));
    }

    [Fact]
    public async Task Overdue_FindsTheShaftLastVisitedBeyondItsInterval_Unassigned_FindsEveryShaftWithoutAResponsiblePerson()
    {
        // YC-CM-002-J1: 孙七 responsible since 30 days ago, last visited 10 days ago; its interval is 7 days.
        var now = DateTime.UtcNow;
        await new ResponsibilityService(GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString)).AssignAsync(
            ResponsibleObject.Shaft("YC-CM-002-J1"), ResponsibilityRole.ResponsiblePerson, new ContactPerson("孙七", "13800000077"), now.AddDays(-30));
        await county.Db.ExecuteAsync("""
            INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source)
            SELECT id, @at, @at + interval '5 minutes', 'record' FROM sealed_shaft WHERE code = 'YC-CM-002-J1'
            """, ("at", now.AddDays(-10)));
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        Assert.Equal([("shafts", "YC-CM-002-J1", "overdue")], await HitsAsync(client, "逾期"));
        Assert.Equal([("shafts", "YC-CM-002-J1", "overdue")], await HitsAsync(client, "overdue"));
        var unassigned = await county.Db.ScalarAsync<string[]>("""
            SELECT array_agg(s.code ORDER BY s.code) FROM sealed_shaft s
            WHERE NOT EXISTS (SELECT FROM assignment a WHERE a.object_kind = 'sealed_shaft' AND a.object_id = s.id AND a.role = 'responsible_person'
                                AND a.valid_from <= now() AND (a.valid_to IS NULL OR a.valid_to > now()))
            """);
        var found = await HitsAsync(client, "无责任人");
        Assert.Equal(unassigned, found.Select(h => h.Code));
        Assert.DoesNotContain("YC-CM-002-J1", found.Select(h => h.Code));
        Assert.All(found, h => Assert.Equal("unassigned", h.Keyword));
    }

    [Fact]
    public async Task Names_ExactFirst_ThenByKindInTheMapsLayerOrder()
    {
        await using var app = new GeoMineApplication(county.Db);
        var hits = await HitsAsync(app.CreateClient(), "YC");
        var order = (await app.CreateClient().GetFromJsonAsync<JsonArray>("/api/layers"))!.Select(l => l!["id"]!.GetValue<string>()).ToList();
        var ranks = hits.Select(h => order.IndexOf(h.Layer)).ToList();
        Assert.True(hits.Select(h => h.Layer).Distinct().Count() > 1, "one kind only: the test proves nothing");
        Assert.Equal(ranks.Order(), ranks);
        var exact = (await HitsAsync(app.CreateClient(), "YC-CM-003"))[0];
        Assert.Equal(("closed-mines", "YC-CM-003"), (exact.Layer, exact.Code)); // the exact match first; its shafts YC-CM-003-J… after it
    }
}
