using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Tests.Shafts;

/// <summary>
/// Registry edits with their audit: a change is read by the catalog's rules (a Chinese term becomes its code), written with
/// one audit row per field that really changed — old value as PostgreSQL had it, new value, who, why —, all or nothing;
/// a bad value, a missing reason, an unknown field or emptying a required one is a 400 naming it with nothing written;
/// another town's coordinator meets 404; the audit cannot be rewritten.
/// </summary>
public sealed class RegistryApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Shaft = "YC-CM-001-J1";

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PatchAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PatchAsJsonAsync(path, body);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Fact]
    public async Task AChange_IsReadByTheCatalogsRules_AndAuditedFieldByField_ABadOneWritesNothing()
    {
        var oldElevation = await county.Db.ScalarAsync<string>("SELECT coalesce(collar_elevation_m::text, '∅') FROM sealed_shaft WHERE code = @c", ("c", Shaft));
        var (oldStatus, oldMethod) = (await county.Db.ScalarAsync<string>("SELECT status FROM sealed_shaft WHERE code = @c", ("c", Shaft)),
            await county.Db.ScalarAsync<string>("SELECT coalesce(seal_method, '') FROM sealed_shaft WHERE code = @c", ("c", Shaft)));
        await using var app = new GeoMineApplication(county.Db);
        var bureau = await app.CreateClientAsAsync("registry-bureau", Roles.CountyBureau);

        var (status, body) = await PatchAsync(bureau, $"/api/registry/shafts/{Shaft}",
            new { status = "破损", seal_meth = "混凝土封堵", elev_m = (double?)null, reason = "巡查发现封堵体开裂" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("damaged", await county.Db.ScalarAsync<string>("SELECT status FROM sealed_shaft WHERE code = @c", ("c", Shaft)));
        var audit = await county.Db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws('|', field, coalesce(old_value, '∅'), coalesce(new_value, '∅'), actor, reason), ';' ORDER BY field)
            FROM registry_change WHERE layer = 'shafts' AND object_key = @c AND field <> 'elev_m'
            """, ("c", Shaft));
        var audited = await county.Db.ScalarAsync<long>("SELECT count(*) FROM registry_change WHERE layer = 'shafts' AND object_key = @c", ("c", Shaft));
        Assert.StartsWith($"seal_meth|{(oldMethod == "" ? "∅" : oldMethod)}|混凝土封堵|registry-bureau|巡查发现封堵体开裂;status|{oldStatus}|damaged|registry-bureau|", audit, StringComparison.Ordinal);
        Assert.Equal(body["changes"]!.AsArray().Count, audited);
        Assert.Equal(oldElevation == "∅" ? 2 : 3, audited); // elev_m cleared: audited only when it had a value
        Assert.Equal("∅", await county.Db.ScalarAsync<string>("SELECT coalesce(collar_elevation_m::text, '∅') FROM sealed_shaft WHERE code = @c", ("c", Shaft)));

        // Refused, naming the member; nothing written.
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM registry_change");
        foreach (var (layer, code, bad, field) in new (string, string, object, string)[]
                 {
                     ("shafts", Shaft, new { status = "烂了", reason = "x" }, "status"),
                     ("shafts", Shaft, new { status = "intact" }, "reason"),
                     ("shafts", Shaft, new { geom = "POINT(0 0)", reason = "x" }, "geom"),
                     ("shafts", Shaft, new { sealed_on = "去年", reason = "x" }, "sealed_on"),
                     // Parsed, but not believable: year 1 or 9999, an elevation of 10³⁰⁸ m or below any mine.
                     ("shafts", Shaft, new { sealed_on = "0001-01-01", reason = "x" }, "sealed_on"),
                     ("shafts", Shaft, new { sealed_on = "9999-12-31", reason = "x" }, "sealed_on"),
                     ("shafts", Shaft, new { elev_m = 1e308, reason = "x" }, "elev_m"),
                     ("shafts", Shaft, new { elev_m = -20000, reason = "x" }, "elev_m"),
                     ("closed-mines", "YC-CM-001", new { name = (string?)null, reason = "x" }, "name"),
                 })
        {
            var (code400, problem) = await PatchAsync(bureau, $"/api/registry/{layer}/{code}", bad);
            Assert.Equal(HttpStatusCode.BadRequest, code400);
            Assert.Equal(field, problem["field"]!.GetValue<string>());
            if (bad.ToString()!.Contains("0001", StringComparison.Ordinal) || bad.ToString()!.Contains("elev_m", StringComparison.Ordinal))
            {
                Assert.Contains("believable", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM registry_change"));
        Assert.Equal("damaged", await county.Db.ScalarAsync<string>("SELECT status FROM sealed_shaft WHERE code = @c", ("c", Shaft)));

        // A mine's risk class by the term an import accepts; the audit newest first.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(bureau, "/api/registry/closed-mines/YC-CM-001", new { risk_class = "C类", reason = "复核分类" })).Status);
        Assert.Equal("C", await county.Db.ScalarAsync<string>("SELECT risk_class FROM closed_mine WHERE code = 'YC-CM-001'"));
        var changes = (await bureau.GetFromJsonAsync<JsonObject>("/api/registry/closed-mines/YC-CM-001/changes"))!["changes"]!.AsArray();
        Assert.Equal(("risk_class", "C", "复核分类"), (changes[0]!["field"]!.GetValue<string>(), changes[0]!["new"]!.GetValue<string>(), changes[0]!["reason"]!.GetValue<string>()));

        // The audit cannot be rewritten.
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => county.Db.ExecuteAsync("UPDATE registry_change SET reason = 'forged'"));
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => county.Db.ExecuteAsync("DELETE FROM registry_change"));
    }

    [Fact]
    public async Task ACoordinator_EditsOnlyTheirTownsRecords()
    {
        var (townA, townB) = (await county.Db.ScalarAsync<string>("""
                SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-002-J1'
                """),
            await county.Db.ScalarAsync<string>("""
                SELECT t.code FROM jurisdiction t WHERE t.level = 'town'
                  AND t.code <> (SELECT t2.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t2 ON t2.id = m.town_id WHERE s.code = 'YC-CM-002-J1')
                ORDER BY t.code LIMIT 1
                """));
        await using var app = new GeoMineApplication(county.Db);
        var own = await app.CreateClientAsAsync("registry-own", Roles.TownCoordinator, townA);
        var other = await app.CreateClientAsAsync("registry-other", Roles.TownCoordinator, townB);

        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(other, "/api/registry/shafts/YC-CM-002-J1", new { seal_meth = "越权", reason = "x" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/registry/shafts/YC-CM-002-J1/changes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(own, "/api/registry/shafts/YC-CM-002-J1", new { seal_meth = "砖砌封闭", reason = "更正" })).Status);
        Assert.Equal("砖砌封闭", await county.Db.ScalarAsync<string>("SELECT seal_method FROM sealed_shaft WHERE code = 'YC-CM-002-J1'"));
    }
}
