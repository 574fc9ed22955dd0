using System.Globalization;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.Viewer.Demo;
using GeoMine.Viewer.Hosting.Database;
using Microsoft.Playwright;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench firstmap</c>: how long a signed-in official waits for the first complete map. Workload, on a throw-away
/// database: the demo county of data/shapefiles, lived in (<c>geomine demo load</c>; the replay off, so nothing else runs),
/// a county-bureau user. Each round opens <c>/</c> in a fresh browser context (no cache; signed in through the API
/// beforehand, outside the timing) in headless Chromium (Debian's) at 1400×900 and measures from the navigation's start
/// to the page's first <c>rendercomplete</c> (<c>window.geomineReadyAt</c>, performance.now()): HTML, scripts, the session,
/// the catalogs, the base layers' tiles and the alarm list. Round 0 warms the server up and is not counted.
/// </summary>
internal static class FirstMapBenchmark
{
    public static async Task RunAsync(string adminConnectionString, int rounds, bool timeline, TextWriter output, CancellationToken ct)
    {
        await BenchDatabase.RunAsync(adminConnectionString, "geomine_bench_firstmap", 16, async connectionString =>
        {
            await CountyDataSet.ImportAsync(connectionString, Path.Combine(GeoMineHome.Root, "data", "shapefiles"), ct);
            await DemoCounty.LoadAsync(GeoDataSource.For(connectionString), ct);
            var (app, root) = await BenchServer.StartAsync(connectionString, ct);
            await using var user = await BenchUser.CreateAsync(connectionString, ct);
            try
            {
                using var playwright = await Playwright.CreateAsync();
                await using var browser = await playwright.Chromium.LaunchAsync(new()
                {
                    ExecutablePath = ShaftDrawBenchmark.ChromiumPath,
                    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
                });
                output.WriteLine("workload: the demo county (data/shapefiles + geomine demo load), a county-bureau user, 1400×900, fresh browser context per round");
                var times = new List<double>();
                for (var round = 0; round <= rounds; round++)
                {
                    // BypassCSP: Playwright's wait polls with eval, which the page's policy forbids (the policy itself is tested in MapPageTests).
                    await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true });
                    var signIn = await context.APIRequest.PostAsync($"{root}/api/session", new() { DataObject = new { name = BenchUser.Name, password = user.Password } });
                    if (!signIn.Ok)
                    {
                        throw new InvalidOperationException($"bench sign-in failed: {signIn.Status}");
                    }

                    var page = await context.NewPageAsync();
                    await page.GotoAsync($"{root}/");
                    await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 60_000 });
                    var ms = await page.EvaluateAsync<double>("() => window.geomineReadyAt");
                    if (round == 1 && timeline)
                    {
                        // Where the time went, for the record: the requests the page made before the map was complete.
                        output.WriteLine(await page.EvaluateAsync<string>("""
                            () => performance.getEntriesByType('resource').filter(r => r.responseEnd <= window.geomineReadyAt)
                                .map(r => `${Math.round(r.startTime)}–${Math.round(r.responseEnd)} ms ${new URL(r.name).pathname}`).join('\n')
                            """));
                    }

                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}{(round == 0 ? " (warm-up)" : "")}: first complete map {ms:F0} ms"));
                    if (round > 0)
                    {
                        times.Add(ms);
                    }
                }

                times.Sort();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"first complete map after sign-in: median {times[times.Count / 2]:F0} ms, best {times[0]:F0} ms, worst {times[^1]:F0} ms over {rounds} rounds (target median ≤ 2 000 ms)"));
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }, ct);
    }
}
