using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Access;

/// <summary><c>geomine users …</c> as an administrator runs it, checked through the web API it controls.</summary>
public sealed class UsersCliTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    /// <summary>The database as an operator should give it: in the environment, not on the command line (ps shows that).</summary>
    private static Dictionary<string, string> Db(string connectionString) => new() { ["GEOMINE_DB"] = connectionString };

    [Fact]
    public async Task AddTokenListDisable_ControlWhatTheApiLetsThrough()
    {
        var db = county.Db.ConnectionString;
        var town = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' ORDER BY code LIMIT 1");

        var (code, output) = await CliProcess.RunAsync(["users", "add", "zhang", "--role", "town_coordinator", "--display-name", "张三"], environment: Db(db));
        Assert.Equal(2, code); // a coordinator without a town
        Assert.Contains("towns:", output, StringComparison.Ordinal);

        (code, output) = await CliProcess.RunAsync(["users", "add", "zhang", "--role", "town_coordinator", "--town", town, "--display-name", "张三"], environment: Db(db));
        Assert.True(code == 0, output);
        Assert.Matches(new Regex("one-time password: [A-Za-z0-9]{16}"), output);
        var oneTime = Regex.Match(output, "one-time password: ([A-Za-z0-9]{16})").Groups[1].Value;

        (code, output) = await CliProcess.RunAsync(["users", "token", "zhang", "--label", "QGIS"], environment: Db(db));
        Assert.True(code == 0, output);
        var token = Regex.Match(output, @"gm_[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(token);

        (code, output) = await CliProcess.RunAsync(["users", "list", "--format", "json"], environment: Db(db));
        Assert.True(code == 0, output);
        var zhang = JsonDocument.Parse(output).RootElement.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "zhang");
        Assert.Equal([town], zhang.GetProperty("towns").EnumerateArray().Select(t => t.GetString()));
        Assert.True(zhang.GetProperty("must_change_password").GetBoolean());
        Assert.Equal(1, zhang.GetProperty("live_tokens").GetInt32());

        await using (var app = new GeoMineApplication(county.Db))
        {
            var client = app.CreateAnonymousClient();
            client.DefaultRequestHeaders.Add("X-Api-Token", token);
            // The token works only once its owner has replaced the one-time password the administrator saw.
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/ogc/collections/towns/items")).StatusCode);
            var change = await client.PostAsync("/api/session/password", new StringContent(
                JsonSerializer.Serialize(new { current_password = oneTime, new_password = "zhang-own-password-1" }), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            var towns = JsonDocument.Parse(await client.GetStringAsync("/ogc/collections/towns/items")).RootElement.GetProperty("features");
            Assert.Equal([town], towns.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        }

        (code, output) = await CliProcess.RunAsync(["users", "disable", "zhang"], environment: Db(db));
        Assert.True(code == 0, output);
        await using (var app = new GeoMineApplication(county.Db))
        {
            var client = app.CreateAnonymousClient();
            client.DefaultRequestHeaders.Add("X-Api-Token", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/ogc/collections/towns/items")).StatusCode);
        }

        Assert.Equal(["created", "token_issued", "password_changed", "disabled"], (await county.Db.ScalarAsync<string[]>(
            "SELECT array_agg(kind ORDER BY id) FROM app_user_event WHERE user_id = (SELECT id FROM app_user WHERE name = 'zhang')")));
    }
}
