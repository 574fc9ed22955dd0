using System.Globalization;
using System.Text.RegularExpressions;
using GeoMine.TestSupport;
using Microsoft.Playwright;

namespace GeoMine.Viewer.Tests.Page;

/// <summary>
/// Reading the map page as officials do, in real Chromium on a desktop (1400×900) and a phone (390×844): the sign-in card,
/// a legend for every layer, labels by zoom, popups that name the mine, the village and the people downstream of a
/// 头顶库, alarm counts by severity, coverage that leaves with its tab, and an English page without a raw code.
/// Screenshots are kept under test-output/map-reading-*.
/// </summary>
public sealed partial class MapPageReadingTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly string[] ChromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];
    private const string Desktop = "desktop", Phone = "phone";

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task TheSignInPage_ShowsOnlyTheSignInForm_UntilAOneTimePasswordIsUsed(string device)
    {
        await using var server = await LoopbackServer.StartAsync(county.Db);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser, device);
        await page.GotoAsync($"{server.Root}/signin.html");
        var shots = TestPaths.NewOutputDirectory($"map-reading-{device}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "signin.png") });
        Assert.True(await page.IsVisibleAsync("#signin"));
        Assert.False(await page.IsVisibleAsync("#change"));
        Assert.False(await page.IsVisibleAsync("#new"));

        // A user with a one-time password signs in: now only the change form.
        var users = TestUsers.Store(GeoMine.Geo.Storage.GeoDataSource.For(county.Db.ConnectionString));
        var name = $"otp-{device}-{Guid.NewGuid():N}"[..20];
        var (_, oneTime) = await users.AddAsync(name, GeoMine.Viewer.Access.Roles.CountyBureau, [], null, null, "test", CancellationToken.None);
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", oneTime!);
        await page.ClickAsync("#submit");
        await page.Locator("#change").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });
        Assert.False(await page.IsVisibleAsync("#signin"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "signin-change-password.png") });
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task InEnglish_NoCatalogCodeIsShownRaw_InLegendPopupsAlarmsAndCoverage(string device)
    {
        var alarm = await RaiseAsync("seal_finding", "red", "YC-CM-001-J1", "页面 封条破坏");
        await WithPageAsync(device, async (page, shots) =>
        {
            await page.ClickAsync("#language");
            // A shaft's popup, from its vector tile and /api/shafts.
            await ClickAtAsync(page, await PointOfAsync("SELECT geom FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"), 15);
            await page.Locator("#popup .responsible").WaitForAsync(new() { Timeout = 15_000 });
            var shaft = await page.Locator("#popup").InnerTextAsync();
            Assert.Contains("Sealing method", shaft, StringComparison.Ordinal);
            Assert.Contains("Intact", shaft, StringComparison.Ordinal);
            Assert.DoesNotContain("封闭方式", shaft, StringComparison.Ordinal);
            var found = await RawCodesAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "english-shaft.png") });

            // A pond's popup.
            await ClickAtAsync(page, await PointOfAsync("SELECT ST_PointOnSurface(geom) FROM tailings_pond WHERE code = 'YC-TP-04'"), 15);
            await page.Locator("#popup .downstream").WaitForAsync(new() { Timeout = 15_000 });
            Assert.Contains("Within 1 km downstream", await page.Locator("#popup").InnerTextAsync(), StringComparison.Ordinal);
            found.AddRange(await RawCodesAsync(page));
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "english-pond.png") });

            // An alarm opened in the panel, then the coverage tab with figures.
            await page.Locator($"#alarm-list li[data-id='{alarm}']").ClickAsync(new() { Timeout = 15_000 });
            await page.Locator("#alarm-detail h3").WaitForAsync(new() { Timeout = 15_000 });
            Assert.Contains("Seal", await page.Locator("#alarm-detail").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
            found.AddRange(await RawCodesAsync(page));
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "english-alarm.png") });
            await page.ClickAsync("#tabs button[data-panel='coverage']");
            await page.ClickAsync("#coverage-show");
            await page.Locator("#coverage-summary table").WaitForAsync(new() { Timeout = 20_000 });
            found.AddRange(await RawCodesAsync(page));
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "english-coverage.png") });

            Assert.Empty(found.Distinct());
        });
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task TheLegend_HasASymbolForEveryLayer_FacilitiesUnlikeShafts_AndLabelsComeWithZoom(string device)
    {
        await WithPageAsync(device, async (page, shots) =>
        {
            var served = await page.EvaluateAsync<string[]>("async () => (await (await fetch('/api/layers')).json()).map(l => l.id)");
            var symbols = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('#legend label.layer')].map(l => l.querySelector('input').dataset.layer + ' '
                        + (l.querySelector('.symbol, .swatch') ? 'drawn' : 'none'))
                """);
            Assert.Equal(served.Select(id => id + " drawn"), symbols);
            Assert.Equal(5, await page.Locator("#patrol-legend li").CountAsync()); // four statuses and nobody responsible
            Assert.Equal(6, await page.Locator("#pond-legend li").CountAsync()); // five classes and 头顶库
            Assert.Equal(4, await page.Locator("#severity-legend li").CountAsync());

            // On the map: a facility is a square in a colour no shaft status has; a shaft is a circle.
            var looks = await page.EvaluateAsync<string[]>("""
                () => { const layers = window.geomineMap.getLayers().getArray();
                        const style = (id, f) => [layers.find(l => l.get('id') === id).getStyleFunction()(f, 1)].flat()[0].getImage();
                        const facility = style('facilities', new ol.Feature({ geometry: new ol.geom.Point([0, 0]), layer: 'facilities', name: 'x' }));
                        const shaft = style('shafts', new ol.Feature({ geometry: new ol.geom.Point([0, 0]), layer: 'shafts', code: 'x', patrol_status: 'never_visited' }));
                        return [facility.getPoints?.() + ' ' + facility.getFill().getColor(), (shaft instanceof ol.style.Circle) + ' ' + shaft.getFill().getColor()]; }
                """);
            Assert.Equal("4 #00838f", looks[0]);
            Assert.Equal("true #8e24aa", looks[1]);

            // Shaft codes are labelled from zoom 15, not at zoom 12; town names from 11.
            var labels = await page.EvaluateAsync<string[]>("""
                () => { const layers = window.geomineMap.getLayers().getArray();
                        const text = (id, f, z) => [layers.find(l => l.get('id') === id).getStyleFunction()(f, 156543.03392804097 / 2 ** z)].flat()
                            .map(s => s.getText()?.getText()).filter(Boolean).join('|');
                        const shaft = new ol.Feature({ geometry: new ol.geom.Point([0, 0]), layer: 'shafts', code: 'YC-X-1', patrol_status: 'ok' });
                        const town = new ol.Feature({ geometry: new ol.geom.Point([0, 0]), layer: 'towns', code: '1', name: '双石镇' });
                        return [text('shafts', shaft, 15), text('shafts', shaft, 12), text('towns', town, 11.5), text('towns', town, 9)]; }
                """);
            Assert.Equal(["YC-X-1", "", "双石镇", ""], labels);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "legend.png") });
        });
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task APondsPopup_NamesThePeopleDownstream_WithTheirDistanceAlongThePath_AndAShaftsItsMineAndSealing(string device)
    {
        // The reference: PostGIS on the ellipsoid, along the recorded flow path from its start (the dam toe).
        var (facility, population, along) = (
            await county.Db.ScalarAsync<string>("SELECT name FROM facility WHERE name = '宝峰镇高洞村七组'"),
            await county.Db.ScalarAsync<int>("SELECT population FROM facility WHERE name = '宝峰镇高洞村七组'"),
            await county.Db.ScalarAsync<double>("""
                SELECT ST_Length(ST_LineSubstring(p.flow_path, 0, ST_LineLocatePoint(p.flow_path, ST_ClosestPoint(p.flow_path, f.geom)))::geography)
                FROM tailings_pond p, facility f WHERE p.code = 'YC-TP-04' AND f.name = '宝峰镇高洞村七组'
                """));
        await WithPageAsync(device, async (page, shots) =>
        {
            await ClickAtAsync(page, await PointOfAsync("SELECT ST_PointOnSurface(geom) FROM tailings_pond WHERE code = 'YC-TP-04'"), 15);
            await page.Locator("#popup .downstream").WaitForAsync(new() { Timeout = 15_000 });
            var text = await page.Locator("#popup .downstream").InnerTextAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "pond-downstream.png") });
            Assert.Contains(facility, text, StringComparison.Ordinal);
            Assert.Contains($"{population} 人", text, StringComparison.Ordinal);
            var shown = Regex.Match(text, facility + @"[^；]*沿程 (\d+) m");
            Assert.True(shown.Success, text);
            Assert.InRange(double.Parse(shown.Groups[1].Value, CultureInfo.InvariantCulture), along - 5, along + 5);

            await ClickAtAsync(page, await PointOfAsync("SELECT geom FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"), 15);
            await page.Locator("#popup .responsible").WaitForAsync(new() { Timeout = 15_000 });
            var shaft = await page.Locator("#popup").InnerTextAsync();
            var (mine, method, sealedOn) = (
                await county.Db.ScalarAsync<string>("SELECT m.name FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = 'YC-CM-001-J1'"),
                await county.Db.ScalarAsync<string>("SELECT seal_method FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"),
                await county.Db.ScalarAsync<string>("SELECT seal_date::text FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"));
            Assert.Contains(mine, shaft, StringComparison.Ordinal);
            Assert.Contains(method, shaft, StringComparison.Ordinal);
            Assert.Contains(sealedOn, shaft, StringComparison.Ordinal);
            Assert.Contains("村社区", shaft, StringComparison.Ordinal);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "shaft-mine-sealing.png") });
        });
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task TheAlarmPanel_CountsOpenAlarmsBySeverity_RedFirst_AndCoverageLeavesWithItsTab(string device)
    {
        await RaiseAsync("patrol_overdue", "orange", "YC-CM-003-J1", "计数 橙色");
        var red = await RaiseAsync("seal_finding", "red", "YC-CM-003-J1", "计数 红色");
        await WithPageAsync(device, async (page, shots) =>
        {
            // The reference: PostgreSQL's count of open alarms by severity (this user sees every town), as the panel loaded them.
            await page.Locator("#alarm-counts [data-severity='red']").WaitForAsync(new() { Timeout = 15_000 });
            foreach (var severity in new[] { "red", "orange", "yellow", "blue" })
            {
                var open = await county.Db.ScalarAsync<long>(
                    "SELECT count(*) FROM (SELECT severity FROM alarm WHERE state <> 'closed' ORDER BY id DESC LIMIT 200) a WHERE severity = @s", ("s", severity));
                Assert.EndsWith($" {open}", (await page.Locator($"#alarm-counts [data-severity='{severity}']").InnerTextAsync()).Trim(), StringComparison.Ordinal);
            }

            var first = await page.EvaluateAsync<string>("() => document.querySelector('#alarm-list li').dataset.id");
            Assert.Equal("red", await county.Db.ScalarAsync<string>("SELECT severity FROM alarm WHERE id = @id", ("id", long.Parse(first, CultureInfo.InvariantCulture))));
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "alarm-counts.png"), FullPage = true });

            // Open alarms are on the map too, at their object: the red one at its shaft, as PostGIS has it.
            await page.WaitForFunctionAsync("(id) => !!window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'alarm-places').getSource().getFeatureById(id)",
                red, new() { Timeout = 15_000 });
            var at = await page.EvaluateAsync<double[]>("""
                (id) => ol.proj.toLonLat(window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'alarm-places').getSource()
                          .getFeatureById(id).getGeometry().getCoordinates())
                """, red);
            Assert.Equal(await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-003-J1'"), at[0], 6);
            Assert.Equal(await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-003-J1'"), at[1], 6);

            await page.ClickAsync("#tabs button[data-panel='coverage']");
            await page.FillAsync("#coverage-from", "2026-11-01");
            await page.FillAsync("#coverage-to", "2026-11-07");
            await page.ClickAsync("#coverage-show");
            await page.Locator("#coverage-summary .coverage-key").WaitForAsync(new() { Timeout = 20_000 });
            Assert.Contains("当前巡查状态", await page.Locator("#coverage-summary").InnerTextAsync(), StringComparison.Ordinal);
            var drawn = "() => window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'coverage').getSource().getFeatures().length";
            Assert.True(await page.EvaluateAsync<int>(drawn) > 0);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "coverage-key.png"), FullPage = true });
            await page.ClickAsync("#tabs button[data-panel='alarms']");
            Assert.Equal(0, await page.EvaluateAsync<int>(drawn));
        });
    }

    /// <summary>A town coordinator's map opens fitted to their town, on a desktop and on a phone: the town's whole extent
    /// (PostGIS) is in view and fills the view in the dimension that limits the fit (the county would fill a third).</summary>
    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task ACoordinatorsMap_OpensFittedToTheirTown(string device)
    {
        var town = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' ORDER BY code DESC LIMIT 1");
        await TestUsers.EnsureAsync(county.Db, "reading-coordinator", GeoMine.Viewer.Access.Roles.TownCoordinator, "coordinator-password-1", "镇协调员 何", [town]);
        var extent = await county.Db.ScalarAsync<double[]>(
            "SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] FROM (SELECT ST_Extent(geom)::box2d AS e FROM jurisdiction WHERE code = @t) x", ("t", town));
        await using var server = await LoopbackServer.StartAsync(county.Db);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser, device);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await MapPageTests.SignInAsync(page, server.Root, "reading-coordinator", "coordinator-password-1");
        await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 30_000 });
        var view = await page.EvaluateAsync<double[]>("""
            () => { const map = window.geomineMap;
                    return ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326'); }
            """);
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.NewOutputDirectory($"map-reading-{device}"), "coordinator-start.png") });

        const double Tolerance = 1e-9; // degrees
        Assert.True(view[0] <= extent[0] + Tolerance && view[1] <= extent[1] + Tolerance && view[2] >= extent[2] - Tolerance && view[3] >= extent[3] - Tolerance,
            $"start view {string.Join(",", view)} does not hold the town {string.Join(",", extent)}");
        var fill = Math.Max((extent[2] - extent[0]) / (view[2] - view[0]), (extent[3] - extent[1]) / (view[3] - view[1]));
        Assert.True(fill >= 0.6, $"the town fills {fill:P0} of the start view {string.Join(",", view)} in its limiting dimension: not fitted to it");
        Assert.Empty(errors);
    }

    /// <summary>A keyword in the search box: 逾期 lists the overdue shaft, marked with the keyword, and Enter zooms to it
    /// and outlines it; 头顶库 lists the two 头顶库 of data/shapefiles/README.md.</summary>
    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task SearchKeywords_ListWhatIsInThatState_AndEnterGoesToTheFirst(string device)
    {
        var now = DateTime.UtcNow;
        await county.Db.ExecuteAsync("""
            WITH p AS (INSERT INTO person (name) VALUES ('搜索 责任人') RETURNING id)
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
            SELECT p.id, 'responsible_person', 'sealed_shaft', s.id, @from FROM p, sealed_shaft s
            WHERE s.code = 'YC-CM-007-J2' AND NOT EXISTS (SELECT FROM assignment a WHERE a.object_id = s.id AND a.object_kind = 'sealed_shaft' AND a.role = 'responsible_person')
            """, ("from", now.AddDays(-30)));
        await county.Db.ExecuteAsync("""
            INSERT INTO patrol_visit (shaft_id, arrived_at, left_at, source) SELECT id, @at, @at + interval '5 minutes', 'record' FROM sealed_shaft WHERE code = 'YC-CM-007-J2'
            """, ("at", now.AddDays(-12)));
        await WithPageAsync(device, async (page, shots) =>
        {
            await page.FillAsync("#search", "头顶库");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#search-results li:not(.empty)').length === 2", null, new() { Timeout = 15_000 });
            var ponds = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#search-results li')].map(li => li.textContent)");
            Assert.Contains(ponds, p => p.Contains("YC-TP-01", StringComparison.Ordinal));
            Assert.Contains(ponds, p => p.Contains("YC-TP-04", StringComparison.Ordinal));

            await page.FillAsync("#search", "逾期");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#search-results li')].some(li => li.textContent.includes('YC-CM-007-J2'))",
                null, new() { Timeout = 15_000 });
            var first = await page.Locator("#search-results li").First.InnerTextAsync();
            Assert.StartsWith("逾期未巡查", first, StringComparison.Ordinal);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "search-overdue.png") });
            await page.Locator("#search-results li", new() { HasText = "YC-CM-007-J2" }).ClickAsync();
            await page.WaitForFunctionAsync(
                "() => window.geomineMap.getLayers().getArray().find(l => l.get('id') === 'search-highlight').getSource().getFeatures().length === 1",
                null, new() { Timeout = 15_000 });
            var centre = await page.EvaluateAsync<double[]>("() => ol.proj.toLonLat(window.geomineMap.getView().getCenter())");
            var (lon, lat) = (await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-007-J2'"),
                await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-007-J2'"));
            await page.WaitForFunctionAsync("() => !window.geomineMap.getView().getAnimating()", null, new() { Timeout = 15_000 });
            centre = await page.EvaluateAsync<double[]>("() => ol.proj.toLonLat(window.geomineMap.getView().getCenter())");
            Assert.Equal(lon, centre[0], 4);
            Assert.Equal(lat, centre[1], 4);
        });
    }

    /// <summary>A configured XYZ base map (as Tianditu or any tile server is configured): Chromium, enforcing the page's
    /// Content-Security-Policy, asks the tile server itself — a real HTTP peer on loopback, plain http as an intranet tile
    /// server may be — for tiles with the key filled in, under the reference layers; an image from any other origin is
    /// refused by the policy and never requested.</summary>
    [Fact]
    public async Task AConfiguredBaseMap_IsAskedForItsTilesWithTheKey_UnderTheReferenceLayers()
    {
        await using var tiles = await GeoMine.Viewer.Tests.Notifications.PeerReceiver.StartAsync();
        await using var elsewhere = await GeoMine.Viewer.Tests.Notifications.PeerReceiver.StartAsync();
        await WithPageAsync(Desktop, bypassCsp: false, async (page, shots) =>
        {
            await MapPageTests.UntilAsync(page, "() => window.geomineMap.getLayers().getArray()[0].get('id') === 'base-map'", 15_000);
            var policy = await page.EvaluateAsync<string>("async () => (await fetch('/')).headers.get('content-security-policy')");
            Assert.Contains($"img-src 'self' data: blob: {tiles.Root.TrimEnd('/')};", policy, StringComparison.Ordinal);
            await page.EvaluateAsync("url => { const image = new Image(); image.src = url; document.body.append(image); }", $"{elsewhere.Root.TrimEnd('/')}/tracker.png");

            for (var waited = 0; tiles.Requests.IsEmpty && waited < 15_000; waited += 200)
            {
                await Task.Delay(200);
            }

            var request = Assert.IsType<GeoMine.Viewer.Tests.Notifications.ReceivedRequest>(tiles.Requests.First());
            Assert.Matches(@"^/\d+/\d+/\d+\.png$", request.Path);
            Assert.Equal("?tk=demo-key-1", request.Query);
            Assert.Empty(elsewhere.Requests);
        }, "--Viewer:BaseMap:Type=xyz", $"--Viewer:BaseMap:Url={tiles.Root}/{{z}}/{{x}}/{{y}}.png?tk={{key}}", "--Viewer:BaseMap:Key=demo-key-1");
    }

    [Fact]
    public async Task OnAPhone_TheMapFillsTheWidth_NothingIsWiderThanTheScreen_AndThePanelFollowsTheMap()
    {
        await WithPageAsync(Phone, async (page, shots) =>
        {
            var box = (await page.Locator("#map").BoundingBoxAsync())!;
            Assert.InRange(box.Width, 380, 390);
            Assert.True(box.Height >= 400, $"map {box.Height} px high");
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
            var panel = (await page.Locator("#panel").BoundingBoxAsync())!;
            Assert.True(panel.Y >= box.Y + box.Height - 1, "the panel is not below the map");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "phone-map.png") });
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "phone-full.png"), FullPage = true });
        });
    }

    // What the English page shows raw: every text node (and option) equal to a code of the server's catalogs — code lists,
    // layer fields and their codes, alarm kinds — or holding a code with an underscore as a word. One-letter codes (risk
    // classes A–D) are left out: a letter is in any text.
    private static async Task<List<string>> RawCodesAsync(IPage page) => [.. await page.EvaluateAsync<string[]>("""
        async () => {
          const codes = new Set();
          for (const l of await (await fetch('/api/codes')).json()) for (const c of l.codes) codes.add(c.code);
          for (const l of await (await fetch('/api/layers')).json()) for (const f of l.fields) { codes.add(f.name); for (const c of f.codes) codes.add(c.code); }
          for (const k of await (await fetch('/api/alarms/kinds')).json()) codes.add(k.code);
          const texts = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) { const v = walker.currentNode.nodeValue.trim(); if (v && walker.currentNode.parentElement.offsetParent !== null) texts.push(v); }
          for (const o of document.querySelectorAll('option')) texts.push(o.textContent.trim());
          const raw = [];
          for (const text of texts) for (const code of codes) {
            if (code.length < 2) continue;
            if (text === code || (code.includes('_') && new RegExp(`(^|[^A-Za-z0-9_])${code}([^A-Za-z0-9_]|$)`).test(text))) raw.push(`${code} in "${text}"`);
          }
          return raw;
        }
        """)];

    // A running alarm of that kind about the shaft: raised now, or the one an earlier test raised (one episode at a time).
    private Task<long> RaiseAsync(string kind, string severity, string shaft, string title) => county.Db.ScalarAsync<long>("""
        WITH s AS (SELECT s.id, m.town_id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @shaft),
        raised AS (
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT @kind, @severity, 'sealed_shaft', s.id, s.town_id, @title, now(), now(), '{}' FROM s
            ON CONFLICT DO NOTHING RETURNING id)
        SELECT id FROM raised
        UNION ALL SELECT a.id FROM alarm a, s WHERE a.kind = @kind AND a.object_kind = 'sealed_shaft' AND a.object_id = s.id AND a.ended_at IS NULL
        LIMIT 1
        """, ("kind", kind), ("severity", severity), ("shaft", shaft), ("title", title));

    private async Task<double[]> PointOfAsync(string sql) =>
        [await county.Db.ScalarAsync<double>($"SELECT ST_X(g) FROM ({sql}) x(g)"), await county.Db.ScalarAsync<double>($"SELECT ST_Y(g) FROM ({sql}) x(g)")];

    /// <summary>Centres the map on lon/lat at <paramref name="zoom"/> and clicks there.</summary>
    private static async Task ClickAtAsync(IPage page, double[] lonLat, int zoom)
    {
        var pixel = await page.EvaluateAsync<double[]>("""
            async ([lon, lat, zoom]) => { const map = window.geomineMap; const at = ol.proj.fromLonLat([lon, lat]);
                                          map.getView().setCenter(at); map.getView().setZoom(zoom);
                                          await new Promise(done => map.once('rendercomplete', done));
                                          return map.getPixelFromCoordinate(at); }
            """, new[] { lonLat[0], lonLat[1], zoom });
        await page.Locator("#map").ScrollIntoViewIfNeededAsync();
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + pixel[0]), (float)(box.Y + pixel[1]));
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });

    private static Task<IPage> NewPageAsync(IBrowser browser, string device, bool bypassCsp = true) => browser.NewPageAsync(device == Phone
        ? new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, BypassCSP = bypassCsp }
        : new() { ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = bypassCsp });

    private Task WithPageAsync(string device, Func<IPage, string, Task> test, params string[] settings) => WithPageAsync(device, true, test, settings);

    private async Task WithPageAsync(string device, bool bypassCsp, Func<IPage, string, Task> test, params string[] settings)
    {
        await TestUsers.EnsureAsync(county.Db, "reading-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1", "县自然资源局 吴工");
        await using var server = await LoopbackServer.StartAsync(county.Db, settings);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await NewPageAsync(browser, device, bypassCsp);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await MapPageTests.SignInAsync(page, server.Root, "reading-bureau", "bureau-password-1");
        await MapPageTests.UntilAsync(page, "() => window.geomineReady === true", 30_000);
        await test(page, TestPaths.NewOutputDirectory($"map-reading-{device}"));
        Assert.Empty(errors);
    }
}
