using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Tests.Notifications;

/// <summary>
/// The duty roster over HTTP: a coordinator puts an officer on duty for their own town (China time in, UTC stored, China
/// time out) and never for another town or the county; an overlapping shift and a shift that ends before it starts are
/// refused naming the field, with nothing written; each caller lists their towns' shifts and the county's.
/// </summary>
public sealed class DutyApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task ACoordinator_PutsAnOfficerOnDutyForTheirTown_SeesTheirTownsAndTheCountysShifts_NotAnotherTowns()
    {
        var towns = await county.Db.ScalarAsync<string[]>("SELECT array_agg(code ORDER BY code) FROM jurisdiction WHERE level = 'town'");
        var (townA, townB) = (towns[0], towns[1]);
        await county.Db.ExecuteAsync("""
            INSERT INTO jurisdiction (code, name, level, geom)
            SELECT '500151', '铜梁区', 'county', ST_Multi(ST_Union(geom)) FROM jurisdiction WHERE level = 'town'
            ON CONFLICT (code) DO NOTHING
            """);
        var day = DateTime.UtcNow.AddHours(8).AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var app = new GeoMineApplication(county.Db);
        var coordinatorA = await app.CreateClientAsAsync("duty-a", Roles.TownCoordinator, townA);
        var bureau = app.CreateClient();

        var added = await coordinatorA.PostAsJsonAsync("/api/duty", new { town = townA, name = "郑值班", phone = "13700000009", from = $"{day}T08:00", to = $"{day}T20:00" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var shift = (await added.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal($"{day}T08:00:00+08:00", shift["from"]!.GetValue<string>());
        Assert.Equal(DateTime.Parse($"{day}T00:00:00Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), await county.Db.ScalarAsync<DateTime>(
            "SELECT d.starts_at FROM duty_shift d JOIN person p ON p.id = d.person_id WHERE p.name = '郑值班'"));
        Assert.Equal(HttpStatusCode.Created, (await bureau.PostAsJsonAsync("/api/duty", new { town = townB, name = "王值班", from = $"{day}T08:00", to = $"{day}T20:00" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await bureau.PostAsJsonAsync("/api/duty", new { town = "500151", name = "县值班", from = $"{day}T00:00", to = $"{day}T23:59" })).StatusCode);

        // Not theirs: another town, the county.
        foreach (var town in new[] { townB, "500151" })
        {
            var refused = await coordinatorA.PostAsJsonAsync("/api/duty", new { town, name = "越权", from = $"{day}T21:00", to = $"{day}T22:00" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("town", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["field"]!.GetValue<string>());
        }

        // Overlapping, or ending before it starts: refused, naming the field; nothing written.
        var before = await county.Db.ScalarAsync<long>("SELECT count(*) FROM duty_shift");
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { town = townA, name = "重叠", from = $"{day}T19:00", to = $"{day}T21:00" }, "town"),
                     (new { town = townA, name = "倒置", from = $"{day}T23:00", to = $"{day}T22:00" }, "to"),
                     (new { town = townA, name = "无时", from = "明天", to = $"{day}T22:00" }, "from"),
                 })
        {
            var bad = await coordinatorA.PostAsJsonAsync("/api/duty", body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(field, (await bad.Content.ReadFromJsonAsync<JsonObject>())!["field"]!.GetValue<string>());
        }

        Assert.Equal(before, await county.Db.ScalarAsync<long>("SELECT count(*) FROM duty_shift"));

        var seen = (await coordinatorA.GetFromJsonAsync<JsonObject>("/api/duty"))!["shifts"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["县值班", "郑值班"], seen);
        var all = (await bureau.GetFromJsonAsync<JsonObject>("/api/duty"))!["shifts"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["县值班", "王值班", "郑值班"], all);
    }
}
