using System.Globalization;
using System.Text.Json;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;
using Microsoft.Playwright;
using Npgsql;

namespace GeoMine.Viewer.Tests.Page;

/// <summary>The map page in real headless Chromium (Debian's, driven by Playwright) against a real Kestrel.</summary>
public sealed class MapPageTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    [Fact]
    public async Task MapPage_InChromium_DrawsEveryShaftInViewAndShowsAClickedShaftsDetails()
    {
        await WithPageAsync(async (page, screenshots) =>
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "overview.png") });

            // Shafts drawn in the view (distinct codes: a point near a tile edge is in two tiles' buffers)…
            var view = await page.EvaluateAsync<double[]>("""
                () => { const map = window.geomineMap;
                        return ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326'); }
                """);
            var drawn = await page.EvaluateAsync<int>("""
                () => { const map = window.geomineMap; const layer = map.getLayers().getArray().find(l => l.get('id') === 'shafts');
                        const extent = map.getView().calculateExtent(map.getSize());
                        return new Set(layer.getFeaturesInExtent(extent).filter(f => f.get('layer') === 'shafts').map(f => f.get('code'))).size; }
                """);
            // …against what PostGIS says lies in that view.
            var expected = await county.Db.ScalarAsync<long>(
                "SELECT count(*) FROM sealed_shaft WHERE ST_Intersects(geom, ST_MakeEnvelope(@a, @b, @c, @d, 4490))",
                ("a", view[0]), ("b", view[1]), ("c", view[2]), ("d", view[3]));
            Assert.True(expected > 0, "the initial view shows no shaft");
            Assert.Equal(expected, drawn);

            // Click the shaft YC-CM-001-J1 and read its details.
            await ClickAsync(page, await CentreOnShaftAsync(page, "YC-CM-001-J1"));
            var popup = page.Locator("#popup");
            await popup.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10_000 });

            Assert.Contains("YC-CM-001-J1", await popup.InnerTextAsync());
            Assert.Contains("封闭井口", await popup.InnerTextAsync());
            Assert.Contains("完好", await popup.InnerTextAsync()); // status code shown in Chinese
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "shaft-details.png") });

            // English switch.
            await page.ClickAsync("#language");
            Assert.Contains("Sealed shafts", await page.Locator("#legend").InnerTextAsync());
            await page.ClickAsync("#language");
            Assert.Contains("封闭井口", await page.Locator("#legend").InnerTextAsync());

            // The legend lists exactly the layers the server serves, in its order, and draws them in that order.
            var served = await page.EvaluateAsync<string[]>("async () => (await (await fetch('/api/layers')).json()).map(l => l.id)");
            var toggles = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#legend input[data-layer]')].map(b => b.dataset.layer)");
            var drawnOrder = await page.EvaluateAsync<string[]>("() => window.geomineMap.getLayers().getArray().map(l => l.get('id')).filter(id => id && id !== 'shaft-overview')");
            Assert.Equal(served, toggles);
            Assert.Equal(served, drawnOrder.Where(id => served.Contains(id)).ToArray());
            Assert.Equal(["towns", "villages", "mining-rights", "closed-mines", "tailings", "tailings-flow-paths", "facilities", "shafts"], served);
        });
    }

    [Fact]
    public async Task MapPage_OverdueShaft_IsDrawnRedAndItsDetailsNameTheResponsiblePersonAndLastVisit()
    {
        // YC-CM-002-J1: 孙七 responsible since 30 days ago, last visited 10 days ago; the interval is 7 days.
        var now = DateTime.UtcNow;
        var lastVisit = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddDays(-10);
        await new ResponsibilityService(GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString)).AssignAsync(
            ResponsibleObject.Shaft("YC-CM-002-J1"), ResponsibilityRole.ResponsiblePerson, new ContactPerson("孙七", "13800000077"), now.AddDays(-30));
        await county.Db.ScalarAsync<int>("""
            WITH v AS (INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source)
                       SELECT id, @at, @at + interval '5 minutes', 'record' FROM sealed_shaft WHERE code = 'YC-CM-002-J1' RETURNING 1)
            SELECT count(*)::int FROM v
            """, ("at", lastVisit));

        await WithPageAsync(async (page, screenshots) =>
        {
            var pixel = await CentreOnShaftAsync(page, "YC-CM-002-J1");
            // The style the page gives the rendered feature, and the pixel drawn at its centre.
            var colour = await page.EvaluateAsync<string>("""
                () => { const map = window.geomineMap; const layer = map.getLayers().getArray().find(l => l.get('id') === 'shafts');
                        const feature = layer.getFeaturesInExtent(map.getView().calculateExtent(map.getSize())).find(f => f.get('code') === 'YC-CM-002-J1');
                        return feature.get('patrol_status') + ' ' + [layer.getStyleFunction()(feature, map.getView().getResolution())].flat()[0].getImage().getFill().getColor(); }
                """);
            Assert.Equal("overdue #d32f2f", colour);
            var rgba = await page.EvaluateAsync<int[]>("""
                ([x, y]) => { const ratio = window.devicePixelRatio;
                              for (const canvas of [...document.querySelectorAll('#map canvas')].reverse()) {
                                  const p = canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
                                  if (p[3] > 0) return [...p]; }
                              return []; }
                """, pixel);
            Assert.True(rgba.Length == 4 && rgba[0] > 180 && rgba[1] < 90 && rgba[2] < 90, $"pixel at the shaft is rgba({string.Join(",", rgba)}), not red");

            await ClickAsync(page, pixel);
            var popup = page.Locator("#popup .responsible");
            await popup.WaitForAsync(new() { Timeout = 10_000 });
            var text = await page.Locator("#popup").InnerTextAsync();
            Assert.Contains("孙七", text);
            Assert.Contains("逾期未巡查", text);
            Assert.Contains((lastVisit + TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), text); // China time
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "overdue-shaft.png") });
        });
    }

    [Fact]
    public async Task MapPage_ZoomedOut_DrawsEveryShaftInViewInAPatrolColour_AndAClickZoomsToAShaftsDetails()
    {
        await WithPageAsync(async (page, screenshots) =>
        {
            var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
            var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'");
            // Zoom 9: the overview layer draws the shafts (no vector-tile features); the pixel is read in the frame that drew it.
            var drawn = await page.EvaluateAsync<JsonElement>("""
                async ([lon, lat]) => { const map = window.geomineMap; const at = ol.proj.fromLonLat([lon, lat]);
                    map.getView().setCenter(at); map.getView().setZoom(9);
                    await new Promise(done => map.once('rendercomplete', done));
                    const overview = map.getLayers().getArray().find(l => l.get('id') === 'shafts-overview');
                    const pixel = map.getPixelFromCoordinate(at);
                    map.renderSync();
                    const gl = [...document.querySelectorAll('#map canvas')].find(c => c.getContext('webgl'));
                    const copy = document.createElement('canvas'); copy.width = gl.width; copy.height = gl.height;
                    const context = copy.getContext('2d'); context.drawImage(gl, 0, 0);
                    const ratio = window.devicePixelRatio;
                    const rgba = [...context.getImageData(Math.round(pixel[0] * ratio), Math.round(pixel[1] * ratio), 1, 1).data];
                    const extent = ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326');
                    return { ids: [...overview.get('drawnShaftIds')()], rgba, pixel, extent }; }
                """, new[] { lon, lat });
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "overview-zoom9.png") });
            var ids = drawn.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToHashSet();
            var extent = drawn.GetProperty("extent").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var inView = await county.Db.ScalarAsync<long[]>(
                "SELECT array_agg(id) FROM sealed_shaft WHERE ST_Intersects(geom, ST_MakeEnvelope(@a, @b, @c, @d, 4490))",
                ("a", extent[0]), ("b", extent[1]), ("c", extent[2]), ("d", extent[3]));
            Assert.True(inView.Length > 1);
            Assert.Subset(ids, inView.ToHashSet());
            // The fill of one of the four patrol colours (ok, due soon, overdue, never visited) at the shaft.
            var rgba = drawn.GetProperty("rgba").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            int[][] colours = [[0x2e, 0x7d, 0x32], [0xf9, 0xa8, 0x25], [0xd3, 0x2f, 0x2f], [0x8e, 0x24, 0xaa]];
            Assert.True(rgba[3] == 255 && colours.Any(c => Math.Abs(c[0] - rgba[0]) + Math.Abs(c[1] - rgba[1]) + Math.Abs(c[2] - rgba[2]) < 12),
                $"pixel at the shaft is rgba({string.Join(",", rgba)}), no patrol colour");

            // A click on the point zooms in to a shaft there and shows its details.
            await ClickAsync(page, drawn.GetProperty("pixel").EnumerateArray().Select(e => e.GetDouble()).ToArray());
            var popup = page.Locator("#popup");
            await popup.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });
            Assert.Contains("封闭井口", await popup.InnerTextAsync());
            Assert.Contains("YC-CM-001-J", await popup.InnerTextAsync()); // a shaft of that mine (they overlap at zoom 9)
            Assert.True(await page.EvaluateAsync<double>("() => window.geomineMap.getView().getZoom()") > 10);
        });
    }

    /// <summary>A notification's link (<c>/?alarm=ID</c>) survives the sign-in and opens that alarm, with who was told.</summary>
    [Fact]
    public async Task MapPage_ANotificationsLink_OpensTheAlarmAfterSignIn()
    {
        var id = await county.Db.ScalarAsync<long>("""
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, ended_at, evidence)
            SELECT 'seal_finding', 'red', 'sealed_shaft', s.id, m.town_id, '链接打开的告警', now(), now(), now(), '{}'
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = 'YC-CM-002-J1' RETURNING id
            """);
        await county.Db.ExecuteAsync("""
            INSERT INTO notice_delivery (notice_id, channel, next_attempt_at, attempts, delivered_at)
            SELECT n.id, 'duty-wecom', now(), 1, now() FROM alarm_notice n WHERE n.alarm_id = @id
            """, ("id", id));
        await TestUsers.EnsureAsync(county.Db, "page-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1", "县自然资源局 周工");
        await using var server = await LoopbackServer.StartAsync(county.Db);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BypassCSP = true });

        await page.GotoAsync($"{server.Root}/?alarm={id}");
        await page.WaitForFunctionAsync("location.pathname === '/signin.html'", null, new() { Timeout = 45_000 });
        await page.FillAsync("#name", "page-bureau");
        await page.FillAsync("#password", "bureau-password-1");
        await page.ClickAsync("#submit");
        var heading = page.Locator("#alarm-detail h3");
        await heading.WaitForAsync(new() { Timeout = 45_000 });

        Assert.Equal($"?alarm={id}", new Uri(page.Url).Query);
        Assert.Equal("链接打开的告警", await heading.InnerTextAsync());
        Assert.Contains("duty-wecom", await page.Locator("#alarm-detail .notifications").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.NewOutputDirectory("map-page"), "alarm-from-link.png") });
    }

    [Fact]
    public async Task MapPage_AcknowledgeInAlarmPanel_ChangesTheAlarmStateInTheDatabase()
    {
        var id = await county.Db.ScalarAsync<long>("""
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT 'out_of_boundary', 'orange', 'sealed_shaft', s.id, m.town_id, '测试越界告警', now(), now(),
                   jsonb_build_object('positions', jsonb_build_array(jsonb_build_object('time', now(), 'lon', ST_X(s.geom) + 0.001, 'lat', ST_Y(s.geom))))
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = 'YC-CM-001-J1'
            RETURNING id
            """);

        await WithPageAsync(async (page, screenshots) =>
        {
            var item = page.Locator($"#alarm-list li[data-id='{id}']");
            await item.WaitForAsync(new() { Timeout = 10_000 });
            await item.ClickAsync();
            await page.Locator("#alarm-ack").WaitForAsync(new() { Timeout = 10_000 });
            await page.ClickAsync("#alarm-ack");
            await page.Locator("#alarm-assign").WaitForAsync(new() { Timeout = 10_000 }); // the next step is offered

            Assert.Equal("acknowledged", await county.Db.ScalarAsync<string>("SELECT state FROM alarm WHERE id = @id", ("id", id)));
            Assert.Equal("县自然资源局 周工 (page-bureau)", await county.Db.ScalarAsync<string>( // the signed-in user
                "SELECT actor FROM alarm_event WHERE alarm_id = @id AND to_state = 'acknowledged'", ("id", id)));
            Assert.Equal(1, await page.EvaluateAsync<int>("() => window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'alarm-evidence').getSource().getFeatures().filter(f => f.get('time')).length"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "alarm-acknowledged.png") });

            // The kind filter is the server's catalog, labelled from it (tailings kinds included, none shown as a raw code).
            var options = await page.EvaluateAsync<string[][]>("() => [...document.querySelectorAll('#alarm-kind option')].filter(o => o.value).map(o => [o.value, o.text])");
            Assert.Equal(GeoMine.Patrol.Alarms.AlarmKinds.All.Select(k => new[] { k.Code, k.Chinese }), options);
        });
    }

    [Fact]
    public async Task MapPage_SearchForAHeadPond_ZoomsToItAndShowsClassHeadPondAndDownstreamPath_CoverageShowsFigures()
    {
        await WithPageAsync(async (page, screenshots) =>
        {
            await page.FillAsync("#search", "YC-TP-04");
            await page.Locator("#search-results li").First.WaitForAsync(new() { Timeout = 10_000 });
            await page.PressAsync("#search", "Enter");
            await page.WaitForFunctionAsync(
                "() => window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'search-highlight').getSource().getFeatures().length === 1",
                null, new() { Timeout = 10_000 });
            await page.EvaluateAsync<bool>("() => new Promise(done => window.geomineMap.once('rendercomplete', () => done(true)))");

            // Click the pond where PostGIS says it is.
            var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(ST_PointOnSurface(geom)) FROM tailings_pond WHERE code = 'YC-TP-04'");
            var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(ST_PointOnSurface(geom)) FROM tailings_pond WHERE code = 'YC-TP-04'");
            var pixel = await page.EvaluateAsync<double[]>("([lon, lat]) => window.geomineMap.getPixelFromCoordinate(ol.proj.fromLonLat([lon, lat]))", new[] { lon, lat });
            await ClickAsync(page, pixel);
            await page.Locator("#popup .head-yes").WaitForAsync(new() { Timeout = 10_000 });
            var text = await page.Locator("#popup").InnerTextAsync();
            Assert.Contains("YC-TP-04", text);
            Assert.Contains("三等", text);
            Assert.Equal(2, await page.EvaluateAsync<int>(
                "() => window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'tailings-path').getSource().getFeatures().length"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "head-pond.png") });

            await page.ClickAsync("#tabs button[data-panel='coverage']");
            await page.FillAsync("#coverage-from", "2026-11-01");
            await page.FillAsync("#coverage-to", "2026-11-07");
            await page.ClickAsync("#coverage-show");
            await page.Locator("#coverage-summary table").WaitForAsync(new() { Timeout = 15_000 });
            var shafts = await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft");
            Assert.Contains($"井口数\t{shafts}", await page.Locator("#coverage-summary").InnerTextAsync());
            Assert.False(await page.EvaluateAsync<bool>("() => window.geomineMap.getLayers().getArray().some(l => l.get('id') === 'base-map')"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "coverage.png") });
        });
    }

    /// <summary>Runs <paramref name="test"/> on the map page signed in as <paramref name="user"/> (by default a county
    /// bureau user, created on first use) in a real Kestrel and Chromium; no page error may occur.</summary>
    private async Task WithPageAsync(Func<IPage, string, Task> test, string user = "page-bureau", string password = "bureau-password-1")
    {
        await using var server = await LoopbackServer.StartAsync(county.Db);
        var port = server.Port;
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
            // Playwright's WaitForFunction polls with eval, which the page's CSP forbids; CSP itself is tested on its own below.
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BypassCSP = true });
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await TestUsers.EnsureAsync(county.Db, "page-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1", "县自然资源局 周工");
            await SignInAsync(page, $"http://127.0.0.1:{port}", user, password);
            await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 30_000 });
            await test(page, TestPaths.NewOutputDirectory("map-page"));
            Assert.Empty(errors);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task MapPage_TownCoordinator_SeesOnlyTheirTownsShafts()
    {
        var townA = await county.Db.ScalarAsync<string>("""
            SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-001-J1'
            """);
        await TestUsers.AddAsync(county.Db, "page-coordinator", GeoMine.Viewer.Access.Roles.TownCoordinator, "coordinator-password-1", townA);
        await WithPageAsync(async (page, screenshots) =>
        {
            // The page opens on the coordinator's town: its whole extent (PostGIS) is in view, and the view is not much larger.
            var start = await page.EvaluateAsync<double[]>("""
                () => { const map = window.geomineMap;
                        return ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326'); }
                """);
            var town = await county.Db.ScalarAsync<double[]>(
                "SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] FROM (SELECT ST_Extent(geom)::box2d AS e FROM jurisdiction WHERE code = @t) x", ("t", townA));
            Assert.True(start[0] <= town[0] && start[1] <= town[1] && start[2] >= town[2] && start[3] >= town[3],
                $"start view {string.Join(",", start)} does not hold the town {string.Join(",", town)}");
            Assert.True((start[2] - start[0]) * (start[3] - start[1]) < 6 * (town[2] - town[0]) * (town[3] - town[1]),
                $"start view {string.Join(",", start)} is far larger than the town {string.Join(",", town)}");

            // Zoomed out until other towns' shafts are in view too.
            await page.EvaluateAsync<bool>("""
                () => new Promise(done => { const map = window.geomineMap; map.getView().setZoom(Math.max(map.getView().getZoom() - 1.5, 10.5));
                                            map.once('rendercomplete', () => done(true)); })
                """);
            var view = await page.EvaluateAsync<double[]>("""
                () => { const map = window.geomineMap;
                        return ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326'); }
                """);
            var drawn = await page.EvaluateAsync<string[]>("""
                () => { const map = window.geomineMap; const layer = map.getLayers().getArray().find(l => l.get('id') === 'shafts');
                        const extent = map.getView().calculateExtent(map.getSize());
                        return [...new Set(layer.getFeaturesInExtent(extent).filter(f => f.get('layer') === 'shafts').map(f => f.get('code')))]; }
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
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "coordinator-town-a-only.png") });
        }, "page-coordinator", "coordinator-password-1");
    }

    [Fact]
    public async Task MapPage_UnderItsContentSecurityPolicy_SignsInAndDrawsWithoutAViolation()
    {
        await using var server = await LoopbackServer.StartAsync(county.Db);
        var port = server.Port;
        try
        {
            await TestUsers.EnsureAsync(county.Db, "page-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1", "县自然资源局 周工");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            var violations = new List<string>();
            page.Console += (_, m) =>
            {
                if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    violations.Add(m.Text);
                }
            };
            var root = $"http://127.0.0.1:{port}";
            var response = await page.GotoAsync($"{root}/");
            await Until(() => new Uri(page.Url).AbsolutePath == "/signin.html");
            Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"]);
            await page.FillAsync("#name", "page-bureau");
            await page.FillAsync("#password", "bureau-password-1");
            await page.ClickAsync("#submit");
            await Until(() => new Uri(page.Url).AbsolutePath == "/");
            await UntilAsync(async () => await page.EvaluateAsync<bool>("window.geomineReady === true"));
            Assert.Empty(violations);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static Task Until(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        for (var waited = 0; !await condition(); waited += 200)
        {
            Assert.True(waited < 45_000, "the page did not get there within 45 s");
            await Task.Delay(200);
        }
    }

    /// <summary>Opens the map at <paramref name="root"/>, is sent to the sign-in page, signs in there and is sent back.</summary>
    internal static async Task SignInAsync(IPage page, string root, string name, string password)
    {
        // The redirects can happen before a WaitForURL starts listening (it then waits for a navigation that is over),
        // so wait on the page's state instead. 45 s: a loaded CI machine starts Chromium slowly.
        await page.GotoAsync($"{root}/");
        await UntilAsync(page, "() => location.pathname === '/signin.html'", 45_000);
        Assert.Equal("?return=%2F", new Uri(page.Url).Query);
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#submit");
        await UntilAsync(page, "() => location.pathname === '/'", 45_000);
    }

    /// <summary>Polls <paramref name="predicate"/> (a JavaScript function) until it returns true. Unlike Playwright's
    /// WaitForFunction, which evaluates a string in the page and so is refused by the page's own Content-Security-Policy,
    /// this works with the policy enforced; a navigation in between is waited out.</summary>
    internal static async Task UntilAsync(IPage page, string predicate, int timeoutMs)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            try
            {
                if (await page.EvaluateAsync<bool>(predicate))
                {
                    return;
                }
            }
            catch (PlaywrightException e) when (e.Message.Contains("context was destroyed", StringComparison.Ordinal)
                                                || e.Message.Contains("navigat", StringComparison.Ordinal))
            {
                // the page is navigating: ask the next one
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{predicate} was not true within {timeoutMs} ms (at {page.Url})");
            }

            await Task.Delay(100);
        }
    }

    private async Task<double[]> CentreOnShaftAsync(IPage page, string code)
    {
        var lon = await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = @c", ("c", code));
        var lat = await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = @c", ("c", code));
        return await page.EvaluateAsync<double[]>("""
            async ([lon, lat]) => { const map = window.geomineMap; const at = ol.proj.fromLonLat([lon, lat]);
                                    map.getView().setCenter(at); map.getView().setZoom(15);
                                    await new Promise(done => map.once('rendercomplete', done));
                                    return map.getPixelFromCoordinate(at); }
            """, new[] { lon, lat });
    }

    private static async Task ClickAsync(IPage page, double[] pixel)
    {
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + pixel[0]), (float)(box.Y + pixel[1]));
    }
}
