using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;
using Microsoft.Playwright;

namespace GeoMine.Viewer.Tests.Page;

/// <summary>The map page in real headless Chromium (Debian's, driven by Playwright) against a real Kestrel.</summary>
public sealed class MapPageTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    [Fact]
    public async Task MapPage_InChromium_DrawsEveryShaftInViewAndShowsAClickedShaftsDetails()
    {
        var port = FreePort.Next();
        var app = GeoMineWebApp.Build(["--Scheduler:Enabled=false", $"--GeoMine:OsmAndPort={FreePort.Next()}"], county.Db.ConnectionString, $"http://127.0.0.1:{port}");
        await app.StartAsync();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);

            await TestUsers.AddAsync(county.Db, "page-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1");
            await SignInAsync(page, $"http://127.0.0.1:{port}", "page-bureau", "bureau-password-1");
            await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 30_000 });
            var screenshots = TestPaths.NewOutputDirectory("map-page");
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "overview.png") });

            // Shafts drawn in the view (distinct codes: a point near a tile edge is in two tiles' buffers)…
            var view = await page.EvaluateAsync<double[]>("""
                () => { const map = window.geomineMap;
                        return ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326'); }
                """);
            var drawn = await page.EvaluateAsync<int>("""
                () => { const map = window.geomineMap; const layer = map.getLayers().getArray().find(l => l.get('id') === 'shafts');
                        const extent = map.getView().calculateExtent(map.getSize());
                        return new Set(layer.getFeaturesInExtent(extent).map(f => f.get('code'))).size; }
                """);
            // …against what PostGIS says lies in that view.
            var expected = await county.Db.ScalarAsync<long>(
                "SELECT count(*) FROM sealed_shaft WHERE ST_Intersects(geom, ST_MakeEnvelope(@a, @b, @c, @d, 4490))",
                ("a", view[0]), ("b", view[1]), ("c", view[2]), ("d", view[3]));
            Assert.True(expected > 0, "the initial view shows no shaft");
            Assert.Equal(expected, drawn);

            // Click the shaft YC-CM-001-J1 and read its details.
            var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
            var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
            var pixel = await page.EvaluateAsync<double[]>("""
                async ([lon, lat]) => { const map = window.geomineMap; const at = ol.proj.fromLonLat([lon, lat]);
                                        map.getView().setCenter(at); map.getView().setZoom(15);
                                        await new Promise(done => map.once('rendercomplete', done));
                                        return map.getPixelFromCoordinate(at); }
                """, new[] { lon, lat });
            var box = (await page.Locator("#map").BoundingBoxAsync())!;
            await page.Mouse.ClickAsync((float)(box.X + pixel[0]), (float)(box.Y + pixel[1]));
            var popup = page.Locator("#popup");
            await popup.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10_000 });

            Assert.Contains("YC-CM-001-J1", await popup.InnerTextAsync());
            Assert.Contains("封闭井口", await popup.InnerTextAsync());
            Assert.Contains("完好", await popup.InnerTextAsync()); // status code shown in Chinese
            Assert.Empty(errors);
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "shaft-details.png") });

            // English switch.
            await page.ClickAsync("#language");
            Assert.Contains("Sealed shafts", await page.Locator("#legend").InnerTextAsync());
            await page.ClickAsync("#language");
            Assert.Contains("封闭井口", await page.Locator("#legend").InnerTextAsync());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task MapPage_TownCoordinator_SeesOnlyTheirTownsShafts()
    {
        var townA = await county.Db.ScalarAsync<string>("""
            SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-001-J1'
            """);
        await TestUsers.AddAsync(county.Db, "page-coordinator", GeoMine.Viewer.Access.Roles.TownCoordinator, "coordinator-password-1", townA);
        var port = FreePort.Next();
        var app = GeoMineWebApp.Build(["--Scheduler:Enabled=false", $"--GeoMine:OsmAndPort={FreePort.Next()}"], county.Db.ConnectionString, $"http://127.0.0.1:{port}");
        await app.StartAsync();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            await SignInAsync(page, $"http://127.0.0.1:{port}", "page-coordinator", "coordinator-password-1");
            await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 30_000 });

            var view = await page.EvaluateAsync<double[]>("""
                () => { const map = window.geomineMap;
                        return ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326'); }
                """);
            var drawn = await page.EvaluateAsync<string[]>("""
                () => { const map = window.geomineMap; const layer = map.getLayers().getArray().find(l => l.get('id') === 'shafts');
                        const extent = map.getView().calculateExtent(map.getSize());
                        return [...new Set(layer.getFeaturesInExtent(extent).map(f => f.get('code')))]; }
                """);
            const string InView = "ST_Intersects(s.geom, ST_MakeEnvelope(@a, @b, @c, @d, 4490))";
            var inViewA = await county.Db.ScalarAsync<string[]>($"""
                SELECT coalesce(array_agg(s.code), ARRAY[]::text[]) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id
                WHERE t.code = @town AND {InView}
                """, ("town", townA), ("a", view[0]), ("b", view[1]), ("c", view[2]), ("d", view[3]));
            var inViewOthers = await county.Db.ScalarAsync<long>($"""
                SELECT count(*) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id
                WHERE t.code <> @town AND {InView}
                """, ("town", townA), ("a", view[0]), ("b", view[1]), ("c", view[2]), ("d", view[3]));

            Assert.True(inViewOthers > 0, "the view shows no shaft of another town: the test proves nothing");
            Assert.Equal(inViewA.Order(StringComparer.Ordinal), drawn.Order(StringComparer.Ordinal));
            await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.NewOutputDirectory("map-page-coordinator"), "town-a-only.png") });
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>Opens the map at <paramref name="root"/>, is sent to the sign-in page, signs in there and is sent back.</summary>
    internal static async Task SignInAsync(IPage page, string root, string name, string password)
    {
        await page.GotoAsync($"{root}/");
        await page.WaitForURLAsync("**/signin.html?return=*", new() { Timeout = 15_000 });
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#submit");
        await page.WaitForURLAsync($"{root}/", new() { Timeout = 15_000 });
    }
}
