using System.Text.Json;
using GeoMine.TestSupport;
using Microsoft.Playwright;

namespace GeoMine.Viewer.Tests.Page;

/// <summary>The API's description for people: the OGC landing page's <c>service-doc</c> opens in real Chromium, under the
/// server's own Content-Security-Policy, and shows every operation of <c>/openapi/v1.json</c>.</summary>
public sealed class ApiDocsPageTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task ServiceDoc_InChromium_ShowsEveryOperationOfTheApiDescription()
    {
        await using var server = await LoopbackServer.StartAsync(db);
        var root = $"http://127.0.0.1:{server.Port}";
        try
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", await TestUsers.TokenAsync(db, "docs-reader", GeoMine.Viewer.Access.Roles.CountyBureau));
            var landing = JsonDocument.Parse(await http.GetStringAsync(root + "/ogc")).RootElement;
            var serviceDoc = landing.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "service-doc");
            var api = JsonDocument.Parse(await http.GetStringAsync(root + "/openapi/v1.json")).RootElement;
            var operations = api.GetProperty("paths").EnumerateObject()
                .Sum(p => p.Value.EnumerateObject().Count(m => m.Name is "get" or "post" or "put" or "patch" or "delete"));

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium", Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } }); // CSP enforced
            var problems = new List<string>();
            page.PageError += (_, e) => problems.Add(e);
            page.Console += (_, m) =>
            {
                if (m.Type == "error")
                {
                    problems.Add($"{m.Text} ({m.Location})");
                }
            };
            await page.GotoAsync(serviceDoc.GetProperty("href").GetString()!);
            await page.Locator(".opblock").First.WaitForAsync(new() { Timeout = 30_000 });
            await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.NewOutputDirectory("api-docs"), "api-docs.png") });

            Assert.Equal("text/html", serviceDoc.GetProperty("type").GetString());
            Assert.Equal(operations, await page.Locator(".opblock").CountAsync());
            Assert.Empty(problems);
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
