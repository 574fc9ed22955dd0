using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Assignments;

/// <summary>The assignments and shaft-status API on the demo county. Times in the requests are China time (UTC+8).</summary>
public sealed class AssignmentsApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static object Person(string code, string name, string time, string timeField = "from", string role = "responsible_person") =>
        new Dictionary<string, string> { ["object_kind"] = "sealed_shaft", ["code"] = code, ["role"] = role, ["name"] = name, [timeField] = time };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task Handover_AfterAssign_OldPeriodEndsWhereTheNewStartsAndQueriesAtTimesSeeEach()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        await JsonAsync(await client.PostAsJsonAsync("/api/assignments", Person("YC-CM-003-J1", "王建国", "2026-10-01T08:00")), HttpStatusCode.Created);
        var handover = await JsonAsync(await client.PostAsJsonAsync("/api/assignments/handover",
            Person("YC-CM-003-J1", "李秀英", "2026-11-01T09:30", "at")), HttpStatusCode.OK);

        Assert.Equal("2026-11-01T09:30:00+08:00", handover.GetProperty("ended").GetProperty("valid_to").GetString());
        Assert.Equal("2026-11-01T09:30:00+08:00", handover.GetProperty("started").GetProperty("valid_from").GetString());
        var history = (await JsonAsync(await client.GetAsync("/api/assignments?code=YC-CM-003-J1&history=true"), HttpStatusCode.OK))
            .GetProperty("assignments").EnumerateArray().Select(a => (a.GetProperty("name").GetString(), a.GetProperty("valid_from").GetString(),
                a.GetProperty("valid_to").GetString())).ToList();
        Assert.Equal([("王建国", "2026-10-01T08:00:00+08:00", "2026-11-01T09:30:00+08:00"), ("李秀英", "2026-11-01T09:30:00+08:00", null)], history);
        Assert.Equal("王建国", await HolderAsync(client, "2026-11-01T09:29:59"));
        Assert.Equal("李秀英", await HolderAsync(client, "2026-11-01T09:30"));
        // No gap and no overlap, asked of PostgreSQL's own range operators.
        Assert.Equal(1L, await county.Db.ScalarAsync<long>("""
            SELECT count(*) FROM assignment a JOIN assignment b ON a.object_id = b.object_id AND a.id < b.id
            WHERE a.object_kind = 'sealed_shaft' AND a.object_id = (SELECT id FROM sealed_shaft WHERE code = 'YC-CM-003-J1')
              AND tstzrange(a.valid_from, a.valid_to) -|- tstzrange(b.valid_from, b.valid_to)
              AND NOT tstzrange(a.valid_from, a.valid_to) && tstzrange(b.valid_from, b.valid_to)
            """));
    }

    private static async Task<string?> HolderAsync(HttpClient client, string at)
    {
        var body = await JsonAsync(await client.GetAsync($"/api/assignments?object_kind=sealed_shaft&code=YC-CM-003-J1&at={at}"), HttpStatusCode.OK);
        return Assert.Single(body.GetProperty("assignments").EnumerateArray()).GetProperty("name").GetString();
    }

    [Theory]
    [InlineData("""{"object_kind": "well", "code": "YC-CM-002-J1", "role": "responsible_person", "name": "甲"}""", "object_kind")]
    [InlineData("""{"code": "YC-CM-002-J1", "role": "boss", "name": "甲"}""", "role")]
    [InlineData("""{"code": "YC-CM-002-J1", "role": "responsible_person"}""", "name")]
    [InlineData("""{"code": "YC-CM-002-J1", "role": "responsible_person", "name": "甲", "from": "yesterday"}""", "from")]
    [InlineData("""{"code": 7, "role": "responsible_person", "name": "甲"}""", "code")]
    [InlineData("""[1, 2]""", "body")]
    public async Task Assign_BadInput_400NamingTheFieldAndNothingStored(string body, string field)
    {
        await using var app = new GeoMineApplication(county.Db);
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM assignment");

        var response = await app.CreateClient().PostAsync("/api/assignments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(field, (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM assignment"));
    }

    [Fact]
    public async Task Requests_UnknownShaft_404AndConflicts409()
    {
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/assignments", Person("NO-SUCH-J9", "甲", "2026-10-01T08:00"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/assignments?code=NO-SUCH-J9")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/shafts/NO-SUCH-J9/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/assignments/handover", Person("YC-CM-002-J2", "乙", "2026-10-01T08:00", "at"))).StatusCode);
        await JsonAsync(await client.PostAsJsonAsync("/api/assignments", Person("YC-CM-002-J2", "甲", "2026-10-01T08:00")), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/assignments", Person("YC-CM-002-J2", "乙", "2026-10-05T08:00"))).StatusCode);
    }

    [Fact]
    public async Task ShaftStatus_SealedMineVisitedOnce_UnassignedNeverDueSoonOverdueAtTheHandWorkedTimes()
    {
        // YC-CM-006 is sealed (已封闭) and not risk-classed: 7 days. Visit 2026-11-10 10:00 → due 2026-11-17 10:00,
        // due soon from 2026-11-16 10:00.
        await using var app = new GeoMineApplication(county.Db);
        var client = app.CreateClient();
        Assert.Equal("unassigned", await StatusAsync(client, "YC-CM-006-J1", "2026-11-01T00:00", "status"));
        await JsonAsync(await client.PostAsJsonAsync("/api/assignments", Person("YC-CM-006-J1", "孙磊", "2026-11-01T08:00")), HttpStatusCode.Created);
        await JsonAsync(await client.PostAsJsonAsync("/api/assignments", new Dictionary<string, string>
        {
            ["object_kind"] = "closed_mine", ["code"] = "YC-CM-006", ["role"] = "lead_leader", ["name"] = "钱书记", ["from"] = "2026-11-01T08:00",
        }), HttpStatusCode.Created);
        await county.Db.ScalarAsync<int>("""
            INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source)
            SELECT id, '2026-11-10T10:00+08', '2026-11-10T10:05+08', 'record' FROM sealed_shaft WHERE code = 'YC-CM-006-J1' RETURNING 0
            """);

        Assert.Equal("never", await StatusAsync(client, "YC-CM-006-J1", "2026-11-05T00:00", "status"));
        Assert.Equal("ok", await StatusAsync(client, "YC-CM-006-J1", "2026-11-16T09:59", "status"));
        Assert.Equal("due_soon", await StatusAsync(client, "YC-CM-006-J1", "2026-11-16T10:00", "status"));
        var overdue = await JsonAsync(await client.GetAsync("/api/shafts/YC-CM-006-J1/status?at=2026-11-17T10:00"), HttpStatusCode.OK);
        Assert.Equal("overdue", overdue.GetProperty("status").GetString());
        Assert.Equal("2026-11-10T10:00:00+08:00", overdue.GetProperty("last_visit_at").GetString());
        Assert.Equal("2026-11-17T10:00:00+08:00", overdue.GetProperty("next_due_at").GetString());
        Assert.Equal(7, overdue.GetProperty("interval_days").GetDouble());
        Assert.Equal([("responsible_person", "孙磊"), ("lead_leader", "钱书记")], overdue.GetProperty("responsible").EnumerateArray()
            .Select(a => (a.GetProperty("role").GetString(), a.GetProperty("name").GetString())));
    }

    private static async Task<string?> StatusAsync(HttpClient client, string code, string at, string field) =>
        (await JsonAsync(await client.GetAsync($"/api/shafts/{code}/status?at={at}"), HttpStatusCode.OK)).GetProperty(field).GetString();
}
