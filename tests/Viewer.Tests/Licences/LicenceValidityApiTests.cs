using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Tests.Licences;

/// <summary><c>GET /api/mining-rights/expiring</c>: expired and soon-expiring licences, soonest first, within the user's towns.
/// Validity dates are set here by SQL relative to today's China date; which right lies in which town comes from PostGIS.</summary>
public sealed class LicenceValidityApiTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task Expiring_ExpiredAndWithinTheWindowSoonestFirst_ScopedToTheCoordinatorsTowns()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var townA = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM mining_right r JOIN jurisdiction t ON t.id = r.town_id GROUP BY t.code HAVING count(*) >= 2 ORDER BY t.code LIMIT 1");
        var inA = await county.Db.ScalarAsync<string[]>(
            "SELECT array_agg(r.licence_no ORDER BY r.licence_no) FROM mining_right r JOIN jurisdiction t ON t.id = r.town_id WHERE t.code = @a", ("a", townA));
        var elsewhere = await county.Db.ScalarAsync<string>(
            "SELECT min(r.licence_no) FROM mining_right r JOIN jurisdiction t ON t.id = r.town_id WHERE t.code <> @a", ("a", townA));
        await county.Db.ExecuteAsync($"UPDATE mining_right SET valid_from = DATE '{today:yyyy-MM-dd}' - 3000, valid_to = DATE '{today:yyyy-MM-dd}' + 1000");
        await county.Db.ExecuteAsync($"UPDATE mining_right SET valid_to = DATE '{today:yyyy-MM-dd}' + 10 WHERE licence_no = '{inA[0]}'");
        await county.Db.ExecuteAsync($"UPDATE mining_right SET valid_to = DATE '{today:yyyy-MM-dd}' - 5 WHERE licence_no = '{inA[1]}'");
        await county.Db.ExecuteAsync($"UPDATE mining_right SET valid_to = DATE '{today:yyyy-MM-dd}' + 20 WHERE licence_no = '{elsewhere}'");
        await using var app = new GeoMineApplication(county.Db);

        var all = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/mining-rights/expiring?days=30");
        var coordinator = await (await app.CreateClientAsAsync("coord-licences", Roles.TownCoordinator, townA)).GetFromJsonAsync<JsonElement>("/api/mining-rights/expiring");
        var bad = await app.CreateClient().GetAsync("/api/mining-rights/expiring?days=5000");

        static List<(string, int, string)> Rows(JsonElement e) => [.. e.GetProperty("licences").EnumerateArray()
            .Select(l => (l.GetProperty("licence").GetString()!, l.GetProperty("days_left").GetInt32(), l.GetProperty("status").GetString()!))];
        Assert.Equal([(inA[1], -5, "expired"), (inA[0], 10, "expiring"), (elsewhere, 20, "expiring")], Rows(all));
        Assert.Equal(today.AddDays(-5).ToString("yyyy-MM-dd"), all.GetProperty("licences")[0].GetProperty("valid_to").GetString());
        Assert.Equal(90, coordinator.GetProperty("days").GetInt32()); // the configured default window
        Assert.Equal([(inA[1], -5, "expired"), (inA[0], 10, "expiring")], Rows(coordinator));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("days", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }
}
