using System.Net.Http.Json;
using System.Text.Json;
using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Hosting;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>
/// Links come from the configured public base URL, never from the Host header a client sends; X-Forwarded-For is believed
/// only from a configured proxy (it decides whose sign-ins are paused).
/// </summary>
public sealed class PublicLinksTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    private static async Task<string[]> LinksAsync(HttpClient client)
    {
        var landing = new HttpRequestMessage(HttpMethod.Get, "/ogc") { Headers = { Host = "evil.example" } };
        var tiles = new HttpRequestMessage(HttpMethod.Get, "/tiles/shafts.json") { Headers = { Host = "evil.example" } };
        var ogc = await (await client.SendAsync(landing)).Content.ReadFromJsonAsync<JsonElement>();
        var tileJson = await (await client.SendAsync(tiles)).Content.ReadFromJsonAsync<JsonElement>();
        return ogc.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()!)
            .Concat(tileJson.GetProperty("tiles").EnumerateArray().Select(t => t.GetString()!)).ToArray();
    }

    [Fact]
    public async Task HostHeader_IsNeverEchoedIntoLinks()
    {
        await using var app = new GeoMineApplication(db);

        var links = await LinksAsync(app.CreateClient());

        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.StartsWith("http://127.0.0.1:5080/", l)); // the address it listens on (GeoMine:Url default)
    }

    [Fact]
    public async Task ConfiguredPublicBaseUrl_StartsEveryLink()
    {
        await using var app = new GeoMineApplication(db).WithWebHostBuilder(b => b.UseSetting("GeoMine:PublicBaseUrl", "https://gis.example.gov.cn/geomine/"));

        var links = await LinksAsync(app.CreateClient());

        Assert.All(links, l => Assert.StartsWith("https://gis.example.gov.cn/geomine/", l));
    }

    [Theory]
    [InlineData(false, "127.0.0.1")]
    [InlineData(true, "203.0.113.9")]
    public async Task XForwardedFor_IsBelievedOnlyFromAConfiguredProxy(bool loopbackIsProxy, string recorded)
    {
        var port = FreePort.Next();
        string[] args = loopbackIsProxy
            ? ["--Scheduler:Enabled=false", "--GeoMine:OsmAndPort=0", "--GeoMine:KnownProxies:0=127.0.0.1"]
            : ["--Scheduler:Enabled=false", "--GeoMine:OsmAndPort=0"];
        var app = GeoMineWebApp.Build(args, db.ConnectionString, $"http://127.0.0.1:{port}");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var name = $"forwarded-{loopbackIsProxy}";
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { name, password = "wrong-password-1" }) };
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");

            await client.SendAsync(request);

            Assert.Equal(recorded, await db.ScalarAsync<string>("SELECT client_address FROM sign_in_failure WHERE user_name = @n", ("n", name)));
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
