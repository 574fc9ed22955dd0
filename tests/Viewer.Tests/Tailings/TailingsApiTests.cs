using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.DependencyInjection;

namespace GeoMine.Viewer.Tests.Tailings;

/// <summary>The tailings registry over HTTP and the reviewer's command, on the sample county.</summary>
public sealed class TailingsApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task List_HeadPondsFirst_WithFacilitiesAlongThePath()
    {
        await using var app = new GeoMineApplication(county.Db);

        var body = await app.CreateClient().GetFromJsonAsync<JsonObject>("/api/tailings?town=宝峰镇");

        var pond = Assert.Single(body!["ponds"]!.AsArray())!;
        Assert.Equal("YC-TP-04", pond["code"]!.GetValue<string>());
        Assert.Equal("yes", pond["head_pond"]!.GetValue<string>());
        Assert.Equal(800, pond["downstream_facilities"]![0]!["along_path_m"]!.GetValue<double>(), 2.0); // generator: 800 m
        Assert.Equal("三等", pond["class_label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_BadField_Is400NamingIt_AndChangesNothing()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var response = await client.PatchAsync("/api/tailings/YC-TP-01", Json("""{"plan_ref": "一库一策-2026-01", "status": "abandoned"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("status", problem!["field"]!.GetValue<string>());
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_pond WHERE plan_ref IS NOT NULL"));

        response = await client.PatchAsync("/api/tailings/YC-TP-01", Json("""{"plan_ref": "一库一策-2026-01", "design_crest_m": 305.5, "construction_method": "upstream"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pond = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(305.5, pond!["design_crest_m"]!.GetValue<double>());
        Assert.Equal("upstream", pond["construction_method"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync("/api/tailings/NO-SUCH", Json("""{"plan_ref": "x"}"""))).StatusCode);
        response = await client.PostAsync("/api/tailings/YC-TP-01/surveys", Json("""{"surveyed_on": "2026-10-01", "crest_m": "三百"}"""));
        Assert.Equal("crest_m", (await response.Content.ReadFromJsonAsync<JsonObject>())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClassOverride_ToClassOne_NeedsAReason_IsShownAndRecorded_AsTheSignedInReviewer()
    {
        await using var app = new GeoMineApplication(county.Db);
        await app.Services.GetRequiredService<UserStore>().AddAsync("wang", Roles.TailingsReviewer, [], "县应急局 王工", UserStore.NewPassword(), "test", CancellationToken.None);
        var client = await app.CreateClientAsAsync("wang", Roles.TailingsReviewer);

        var refused = await client.PostAsync("/api/tailings/YC-TP-06/class-override", Json("""{"class": "一", "actor": "县应急局 王工"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("reason", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["field"]!.GetValue<string>());

        var response = await client.PostAsync("/api/tailings/YC-TP-06/class-override",
            Json("""{"class": "一", "reason": "失事将使下游重要城镇遭受严重灾害（GB 50863）", "actor": "县应急局 王工"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pond = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(1, pond!["class"]!.GetValue<int>());
        Assert.Equal(2, pond["class_by_storage"]!.GetValue<int>()); // 12000 万m³: the computed class stays visible
        Assert.Equal("县应急局 王工 (wang)", pond["class_override"]!["actor"]!.GetValue<string>()); // who signed in, not what the body says
        Assert.Equal(1L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM tailings_class_override"));
    }

    [Fact]
    public async Task Cli_JobsRunThenReview_ListsFindingsAndOpenAlarms()
    {
        var (code, output) = await RunAsync("jobs", "run", "tailings-rules", "--at", "2026-06-02T09:00");
        Assert.True(code == 0, output);
        Assert.Contains("YC-TP-04 tailings_pre_flood_due (red)", output, StringComparison.Ordinal);

        (code, output) = await RunAsync("tailings", "review", "--format", "json", "--at", "2026-06-02T09:00");
        Assert.True(code == 0, output);
        var ponds = JsonNode.Parse(output)!["ponds"]!.AsArray();
        Assert.Equal(6, ponds.Count);
        var head = ponds[0]!;
        Assert.Equal("yes", head["head_pond"]!.GetValue<string>());
        Assert.Contains(head["open_alarms"]!.AsArray(), a => a!["kind"]!.GetValue<string>() == "tailings_pre_flood_due");
        Assert.Contains("government_leader", head["missing_roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        (code, output) = await RunAsync("tailings", "review", "--town", "没有这个镇");
        Assert.Equal(2, code);
    }

    /// <summary>The CLI on this class's database, given in the environment as an operator should (not with --db, which ps shows).</summary>
    private Task<(int Code, string Output)> RunAsync(params string[] args) =>
        CliProcess.RunAsync(args, environment: new Dictionary<string, string> { ["GEOMINE_DB"] = county.Db.ConnectionString });
}
