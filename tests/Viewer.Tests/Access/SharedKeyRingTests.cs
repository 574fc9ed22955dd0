using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>Several app nodes, one database: the keys that protect sessions live in PostgreSQL (host migration 0001), so a
/// sign-in made through one node is valid on another, anti-forgery token included.</summary>
public sealed class SharedKeyRingTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task SessionSignedInOnNodeA_IsValidOnNodeB_WithItsAntiForgeryToken()
    {
        await TestUsers.AddAsync(db, "two-nodes", Roles.CountyBureau, "two-nodes-password-1");
        await using var nodeA = new GeoMineApplication(db);
        var signIn = await nodeA.CreateAnonymousClient().PostAsJsonAsync("/api/session", new { name = "two-nodes", password = "two-nodes-password-1" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookies = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var xsrf = Uri.UnescapeDataString(cookies.Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal))["XSRF-TOKEN=".Length..]);

        // The key that signed the cookie is in the database, not in a node's memory or folder.
        var keys = await db.ScalarAsync<long>("SELECT count(*) FROM data_protection_key WHERE xml LIKE '%<key id=%'");
        Assert.True(keys >= 1, "no Data Protection key in data_protection_key");

        await using var nodeB = new GeoMineApplication(db);
        var client = nodeB.CreateAnonymousClient();
        var who = new HttpRequestMessage(HttpMethod.Get, "/api/session") { Headers = { { "Cookie", string.Join("; ", cookies) } } };
        var answer = await client.SendAsync(who);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("two-nodes", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session")
        {
            Headers = { { "Cookie", string.Join("; ", cookies) }, { AccessSetup.XsrfHeader, xsrf } },
        };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(signOut)).StatusCode);
    }
}
