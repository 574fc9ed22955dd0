using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Alarms;

/// <summary>The alarm loop over HTTP on the sample county, alarms raised by SQL on shafts of two towns.</summary>
public sealed class AlarmsApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A raised alarm of <paramref name="kind"/> on shaft <paramref name="shaft"/>, in its mine's town.</summary>
    private Task<long> RaiseAsync(string kind, string shaft) => county.Db.ScalarAsync<long>("""
        INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
        SELECT @kind, 'orange', 'sealed_shaft', s.id, m.town_id, @kind || ' ' || s.code, now(), now(),
               jsonb_build_object('positions', jsonb_build_array(jsonb_build_object('lon', ST_X(s.geom), 'lat', ST_Y(s.geom))))
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @shaft
        RETURNING id
        """, ("kind", kind), ("shaft", shaft));

    private Task<string> TownCodeAsync(string shaft) => county.Db.ScalarAsync<string>("""
        SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = @shaft
        """, ("shaft", shaft));

    private static async Task<string?> FieldOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["field"]?.GetValue<string>();

    [Fact]
    public async Task List_FilteredByStateKindAndTown_ReturnsOnlyThoseAlarms()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var inTown = await RaiseAsync("tailings_spot_check_due", "YC-CM-001-J1");
        var otherTown = await RaiseAsync("tailings_spot_check_due", "YC-CM-005-J1");
        var town = await TownCodeAsync("YC-CM-001-J1");
        Assert.NotEqual(town, await TownCodeAsync("YC-CM-005-J1"));

        var body = await client.GetFromJsonAsync<JsonObject>($"/api/alarms?state=raised&kind=tailings_spot_check_due&town={town}&limit=10");

        var ids = body!["alarms"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()).ToList();
        Assert.Equal([inTown], ids);
        var all = await client.GetFromJsonAsync<JsonObject>("/api/alarms?kind=tailings_spot_check_due");
        Assert.Equal([otherTown, inTown], all!["alarms"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()).ToList()); // newest first
        var page = await client.GetFromJsonAsync<JsonObject>("/api/alarms?kind=tailings_spot_check_due&limit=1&offset=1");
        Assert.Equal(inTown, Assert.Single(page!["alarms"]!.AsArray())!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Ack_ThenASecondAckWithTheStaleVersion_Is409AndTheAuditNamesTheFirstActor()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var id = await RaiseAsync("seal_finding", "YC-CM-002-J2");

        var second = await app.CreateClientAsAsync("duty-b", GeoMine.Viewer.Access.Roles.CountyBureau);
        var first = await client.PostAsync($"/api/alarms/{id}/ack", Json("""{"version": 1, "actor": "值班员甲"}"""));
        var secondAck = await second.PostAsync($"/api/alarms/{id}/ack", Json("""{"version": 1}"""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var acked = await first.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("acknowledged", acked!["state"]!.GetValue<string>());
        Assert.Equal(2, acked["version"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Conflict, secondAck.StatusCode);
        // The audit names who was signed in, not the "actor" the body claims.
        Assert.Equal(TestUsers.Admin, await county.Db.ScalarAsync<string>("SELECT string_agg(actor, ',') FROM alarm_event WHERE alarm_id = @id", ("id", id)));
        var detail = await client.GetFromJsonAsync<JsonObject>($"/api/alarms/{id}");
        var step = Assert.Single(detail!["events"]!.AsArray())!;
        Assert.Equal("raised", step["from_state"]!.GetValue<string>());
        Assert.Equal("acknowledged", step["to_state"]!.GetValue<string>());
        Assert.Equal("YC-CM-002-J2", detail["place"]!["code"]!.GetValue<string>());
        Assert.Single(detail["evidence"]!["positions"]!.AsArray());
    }

    [Fact]
    public async Task Loop_AssignCloseReopen_NeedTheirFieldsAndMoveTheState()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var id = await RaiseAsync("patrol_overdue", "YC-CM-003-J1");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/alarms/{id}/ack", Json("""{"version": 1, "actor": "甲"}"""))).StatusCode);

        var noDeadline = await client.PostAsync($"/api/alarms/{id}/assign", Json("""{"version": 2, "actor": "甲", "assignee": "乙"}"""));
        var assigned = await client.PostAsync($"/api/alarms/{id}/assign", Json("""{"version": 2, "actor": "甲", "assignee": "乙", "deadline": "2026-11-25T18:00"}"""));
        var noOutcome = await client.PostAsync($"/api/alarms/{id}/close", Json("""{"version": 3, "actor": "乙", "feedback": "现场核实"}"""));
        var badOutcome = await client.PostAsync($"/api/alarms/{id}/close", Json("""{"version": 3, "actor": "乙", "outcome": "maybe", "feedback": "现场核实"}"""));
        var closed = await client.PostAsync($"/api/alarms/{id}/close", Json("""{"version": 3, "actor": "乙", "outcome": "false_alarm", "feedback": "巡查车辆"}"""));
        var noReason = await client.PostAsync($"/api/alarms/{id}/reopen", Json("""{"version": 4, "actor": "甲"}"""));
        var reopened = await client.PostAsync($"/api/alarms/{id}/reopen", Json("""{"version": 4, "actor": "甲", "reason": "复查发现新痕迹"}"""));

        Assert.Equal((HttpStatusCode.BadRequest, "deadline"), (noDeadline.StatusCode, await FieldOf(noDeadline)));
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "outcome"), (noOutcome.StatusCode, await FieldOf(noOutcome)));
        Assert.Equal((HttpStatusCode.BadRequest, "outcome"), (badOutcome.StatusCode, await FieldOf(badOutcome)));
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "reason"), (noReason.StatusCode, await FieldOf(noReason)));
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal("raised", await county.Db.ScalarAsync<string>("SELECT state FROM alarm WHERE id = @id", ("id", id)));
        // The deadline was China time: 18:00 +08:00 is 10:00 UTC.
        Assert.Equal(new DateTime(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc),
            await county.Db.ScalarAsync<DateTime>("SELECT deadline FROM alarm WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task Kinds_TheCatalogWithLabels_AndAnUnknownKindFilterIs400NamingIt()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        var kinds = (await client.GetFromJsonAsync<JsonArray>("/api/alarms/kinds"))!;
        var unknown = await client.GetAsync("/api/alarms?kind=list_test_kind");

        Assert.Equal(GeoMine.Patrol.Alarms.AlarmKinds.All.Select(k => k.Code), kinds.Select(k => k!["code"]!.GetValue<string>()));
        var boundary = kinds.Single(k => k!["code"]!.GetValue<string>() == "out_of_boundary")!;
        Assert.Equal(("orange", "mining_right", "越界开采"), (boundary["severity"]!.GetValue<string>(), boundary["object_kind"]!.GetValue<string>(), boundary["label_zh"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("kind", await FieldOf(unknown));
    }

    [Fact]
    public async Task BadRequests_Are400NamingTheField_UnknownAlarmIs404()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        var id = await RaiseAsync("shaft_unassigned", "YC-CM-004-J1");

        var noVersion = await client.PostAsync($"/api/alarms/{id}/ack", Json("""{"actor": "甲"}"""));
        var notJson = await client.PostAsync($"/api/alarms/{id}/ack", Json("ack please"));
        var textVersion = await client.PostAsync($"/api/alarms/{id}/ack", Json("""{"version": "two"}"""));
        var noBody = await client.PostAsync($"/api/alarms/{id}/ack", Json(""));
        var badState = await client.GetAsync("/api/alarms?state=open");
        var badLimit = await client.GetAsync("/api/alarms?limit=0");
        var unknownGet = await client.GetAsync("/api/alarms/999999");
        var unknownAck = await client.PostAsync("/api/alarms/999999/ack", Json("""{"version": 1, "actor": "甲"}"""));

        Assert.Equal((HttpStatusCode.BadRequest, "version"), (noVersion.StatusCode, await FieldOf(noVersion)));
        Assert.Equal((HttpStatusCode.BadRequest, "body"), (notJson.StatusCode, await FieldOf(notJson)));
        // The typed body names the member and what it must be, not a CLR type or a stack trace.
        var problem = System.Text.Json.JsonDocument.Parse(await textVersion.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((HttpStatusCode.BadRequest, "version"), (textVersion.StatusCode, problem.GetProperty("field").GetString()));
        Assert.Equal("version: must be a whole number", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Contains("body", (await noBody.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "state"), (badState.StatusCode, await FieldOf(badState)));
        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (badLimit.StatusCode, await FieldOf(badLimit)));
        Assert.Equal(HttpStatusCode.NotFound, unknownGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAck.StatusCode);
        Assert.Equal("raised", await county.Db.ScalarAsync<string>("SELECT state FROM alarm WHERE id = @id", ("id", id)));
    }
}
