using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>
/// A town coordinator sees and changes only their towns, through every endpoint family: OGC API, vector tiles, coverage,
/// tailings, patrol records, monitoring. Which features lie in which town comes from PostGIS, not from the code under test.
/// </summary>
public sealed class TownScopingTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string ShaftA = "YC-CM-001-J1";

    private Task<string> TownAAsync() => county.Db.ScalarAsync<string>("""
        SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = @s
        """, ("s", ShaftA));

    private async Task<HttpClient> CoordinatorAsync(GeoMineApplication app) =>
        await app.CreateClientAsAsync("coordinator-a", Roles.TownCoordinator, await TownAAsync());

    [Fact]
    public async Task OgcApi_ShowsOnlyTheCoordinatorsTown()
    {
        var townA = await TownAAsync();
        await using var app = new GeoMineApplication(county.Db);
        var client = await CoordinatorAsync(app);

        async Task<HashSet<string>> Ids(string layer)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/{layer}/items?limit=10000");
            return page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToHashSet();
        }

        Assert.Equal([townA], await Ids("towns"));
        var shaftsA = await county.Db.ScalarAsync<string[]>("""
            SELECT array_agg(s.code) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code = @a
            """, ("a", townA));
        Assert.Equal(shaftsA.ToHashSet(), await Ids("shafts"));
        Assert.True(shaftsA.Length < await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft"), "the sample county's other towns have shafts too");
        var rightsA = await county.Db.ScalarAsync<string[]>(
            "SELECT coalesce(array_agg(r.licence_no), '{}') FROM mining_right r JOIN jurisdiction t ON t.id = r.town_id WHERE t.code = @a", ("a", townA));
        Assert.Equal(rightsA.ToHashSet(), await Ids("mining-rights"));

        var shaftB = await county.Db.ScalarAsync<string>("""
            SELECT s.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code <> @a ORDER BY s.code LIMIT 1
            """, ("a", townA));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/ogc/collections/shafts/items/{shaftB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/ogc/collections/shafts/items/{ShaftA}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/ogc/collections/shafts/items/{shaftB}")).StatusCode);
    }

    [Fact]
    public async Task VectorTiles_ATileWithOnlyAnotherTownsShaft_IsEmptyForTheCoordinator()
    {
        var townA = await TownAAsync();
        // A shaft of another town, and the z16 tile around it (XYZ from the usual Web Mercator formula).
        var (lon, lat) = (await county.Db.ScalarAsync<double>("""
            SELECT ST_X(s.geom) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code <> @a ORDER BY s.code LIMIT 1
            """, ("a", townA)), await county.Db.ScalarAsync<double>("""
            SELECT ST_Y(s.geom) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code <> @a ORDER BY s.code LIMIT 1
            """, ("a", townA)));
        const int z = 16;
        var x = (int)Math.Floor((lon + 180) / 360 * (1 << z));
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(lat * Math.PI / 180) + 1 / Math.Cos(lat * Math.PI / 180)) / Math.PI) / 2 * (1 << z));
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("""
            SELECT count(*) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id
            WHERE t.code = @a AND ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490))
            """, ("a", townA), ("z", z), ("x", x), ("y", y)));

        await using var app = new GeoMineApplication(county.Db);
        var url = $"/tiles/shafts/{z}/{x}/{y}.mvt";
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync(url)).StatusCode);
        var coordinator = await (await CoordinatorAsync(app)).GetAsync(url);
        Assert.Equal(HttpStatusCode.NoContent, coordinator.StatusCode);
    }

    [Fact]
    public async Task ShaftOverviewTiles_HoldOnlyTheCoordinatorsTownsShafts_WhateverWasCachedBefore()
    {
        var townA = await TownAAsync();
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = @s", ("s", ShaftA));
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = @s", ("s", ShaftA));
        const int z = 5; // one tile holds the whole sample county
        var x = (int)Math.Floor((lon + 180) / 360 * (1 << z));
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(lat * Math.PI / 180) + 1 / Math.Cos(lat * Math.PI / 180)) / Math.PI) / 2 * (1 << z));
        var all = await county.Db.ScalarAsync<long[]>("SELECT array_agg(id ORDER BY id) FROM sealed_shaft");
        var inA = await county.Db.ScalarAsync<long[]>("""
            SELECT array_agg(s.id ORDER BY s.id) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code = @a
            """, ("a", townA));
        Assert.True(inA.Length < all.Length, "the sample county's other towns have shafts too");

        await using var app = new GeoMineApplication(county.Db);
        var url = $"/tiles/shafts/{z}/{x}/{y}.bin";
        async Task<IEnumerable<long>> Ids(HttpClient client) =>
            Tiles.VectorTilesApiTests.DecodeOverview(await client.GetByteArrayAsync(url), z, x, y).Select(p => p.Id).Order();

        // County-wide first (its tile is cached), then the coordinator, then county-wide again.
        Assert.Equal(all, await Ids(app.CreateClient()));
        Assert.Equal(inA, await Ids(await CoordinatorAsync(app)));
        Assert.Equal(all, await Ids(app.CreateClient()));
    }

    [Fact]
    public async Task Tailings_ListAndDetailsAndChanges_StayInsideTheTowns()
    {
        var townA = await TownAAsync();
        await using var app = new GeoMineApplication(county.Db);
        var client = await CoordinatorAsync(app);

        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/tailings")).GetProperty("ponds").EnumerateArray()
            .Select(p => p.GetProperty("code").GetString()!).ToHashSet();
        var pondsA = await county.Db.ScalarAsync<string[]>(
            "SELECT coalesce(array_agg(p.code), '{}') FROM tailings_pond p JOIN jurisdiction t ON t.id = p.town_id WHERE t.code = @a", ("a", townA));
        Assert.Equal(pondsA.ToHashSet(), listed);

        var pondB = await county.Db.ScalarAsync<string>(
            "SELECT p.code FROM tailings_pond p JOIN jurisdiction t ON t.id = p.town_id WHERE t.code <> @a ORDER BY p.code LIMIT 1", ("a", townA));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/tailings/{pondB}")).StatusCode);
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_inspection");
        var inspection = await client.PostAsync($"/api/tailings/{pondB}/inspections",
            new StringContent("""{"kind": "pre_flood", "inspected_on": "2026-05-10", "inspector": "x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, inspection.StatusCode);
        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_inspection"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/tailings?town={await county.Db.ScalarAsync<string>(
            "SELECT code FROM jurisdiction WHERE level = 'town' AND code <> @a ORDER BY code LIMIT 1", ("a", townA))}")).StatusCode);
        // Class overrides are for tailings reviewers.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/tailings/{pondB}/class-override",
            new StringContent("""{"class": "二", "reason": "x"}""", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task CoverageRecordsAndMonitoring_OutsideTheTowns_AreRefused()
    {
        var townA = await TownAAsync();
        var townB = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' AND code <> @a ORDER BY code LIMIT 1", ("a", townA));
        await using var app = new GeoMineApplication(county.Db);
        var client = await CoordinatorAsync(app);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/patrol/coverage?from=2026-05-01&to=2026-05-08&town={townB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/patrol/coverage?from=2026-05-01&to=2026-05-08")).StatusCode);

        var shaftB = await county.Db.ScalarAsync<string>("""
            SELECT s.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code = @b ORDER BY s.code LIMIT 1
            """, ("b", townB));
        var record = new MultipartFormDataContent
        {
            { new StringContent(shaftB), "shaft" }, { new StringContent("李四"), "person" }, { new StringContent("online"), "kind" },
            { new StringContent("intact"), "seal" },
        };
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/patrol-records", record)).StatusCode);
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM patrol_record"));

        var readings = new StringContent("""
            {"readings": [{"pond": "YC-TP-03", "point": "WL-1", "item": "water_level", "measured_at": "2026-05-20T08:00:00+08:00", "value": 312.4, "unit": "m"}]}
            """, Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/monitoring", readings)).StatusCode);
    }

    [Fact]
    public async Task AlarmsSearchAndShaftDetails_OfAnotherTown_AreNotThere()
    {
        var townA = await TownAAsync();
        var shaftB = await county.Db.ScalarAsync<string>("""
            SELECT s.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE t.code <> @a ORDER BY s.code LIMIT 1
            """, ("a", townA));
        long Raise(string shaft) => county.Db.ScalarAsync<long>("""
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT 'tailings_closure_due', 'orange', 'sealed_shaft', s.id, m.town_id, 'scope test', now(), now(), '{}'::jsonb
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @s RETURNING id
            """, ("s", shaft)).GetAwaiter().GetResult();
        var alarmA = Raise(ShaftA);
        var alarmB = Raise(shaftB);
        await using var app = new GeoMineApplication(county.Db);
        var client = await CoordinatorAsync(app);

        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/alarms?kind=tailings_closure_due")).GetProperty("alarms").EnumerateArray()
            .Select(a => a.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([alarmA], listed);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/alarms/{alarmB}")).StatusCode);
        var ack = await client.PostAsync($"/api/alarms/{alarmB}/ack", new StringContent("""{"version": 1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, ack.StatusCode);
        Assert.Equal("raised", await county.Db.ScalarAsync<string>("SELECT state FROM alarm WHERE id = @id", ("id", alarmB)));

        var hits = (await client.GetFromJsonAsync<JsonElement>($"/api/search?q={shaftB}")).GetProperty("hits").GetArrayLength();
        Assert.Equal(0, hits);
        Assert.True((await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/search?q={shaftB}")).GetProperty("hits").GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/shafts/{shaftB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/shafts/{ShaftA}")).StatusCode);
    }
}
