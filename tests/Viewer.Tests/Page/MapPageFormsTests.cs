using System.Security.Cryptography;
using GeoMine.TestSupport;
using Microsoft.Playwright;

namespace GeoMine.Viewer.Tests.Page;

/// <summary>
/// The work done on the map page, in real Chromium: a patrol record from a phone (390×844) with a photo from its camera
/// input and the phone's own position; a responsible person and a handover for a shaft, an inspection and a crest
/// survey of a pond, the registry form and the duty roster, each on a desktop (1400×900) and a phone. Each form is checked by the API: a refusal is shown next to the field the API names and
/// nothing is written; what is accepted is read back from PostgreSQL. Screenshots in test-output/map-forms-*.
/// </summary>
public sealed class MapPageFormsTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly string[] ChromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

    [Fact]
    public async Task OnAPhone_APatrolRecord_TakesTheCamerasPhotoAndThePhonesPosition_AndARefusedPhotoWritesNothing()
    {
        const string Shaft = "YC-CM-004-J1";
        // The phone stands 12 m due north of the shaft (PostGIS's geodesic ST_Project).
        const string North = "ST_Project(geography(geom), 12, 0)::geometry";
        var lon = await county.Db.ScalarAsync<double>($"SELECT ST_X({North}) FROM sealed_shaft WHERE code = @c", ("c", Shaft));
        var lat = await county.Db.ScalarAsync<double>($"SELECT ST_Y({North}) FROM sealed_shaft WHERE code = @c", ("c", Shaft));
        var jpeg = Jpeg();
        await WithPageAsync("phone", new()
        {
            ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, BypassCSP = true,
            Geolocation = new() { Latitude = (float)lat, Longitude = (float)lon, Accuracy = 6 }, Permissions = ["geolocation"],
        }, async (page, shots) =>
        {
            await OpenPopupAsync(page, $"SELECT geom FROM sealed_shaft WHERE code = '{Shaft}'", "#popup .action-recordPatrol");
            await page.ClickAsync("#popup .action-recordPatrol");
            await page.WaitForFunctionAsync("() => (document.querySelector('#patrol-record-form-lat')?.value ?? '') !== ''", null, new() { Timeout = 20_000 });
            Assert.InRange(double.Parse(await page.InputValueAsync("#patrol-record-form-lat"), System.Globalization.CultureInfo.InvariantCulture), lat - 1e-6, lat + 1e-6);
            Assert.True(await page.Locator("#patrol-record-form-photo").GetAttributeAsync("capture") == "environment");
            await page.SelectOptionAsync("#patrol-record-form-seal", "damaged");
            await page.FillAsync("#patrol-record-form-remarks", "封条一角撕开");

            // Not an image: refused, named at the photo field, nothing written.
            await page.SetInputFilesAsync("#patrol-record-form-photo", new FilePayload { Name = "seal.jpg", MimeType = "image/jpeg", Buffer = "not an image"u8.ToArray() });
            await page.ClickAsync("#patrol-record-form button[type=submit]");
            await page.Locator("#patrol-record-form .form-message.error").WaitForAsync(new() { Timeout = 15_000 });
            Assert.Contains("not a JPEG or PNG", await page.Locator("#patrol-record-form-photo + .field-error").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0L, await RecordsAsync(Shaft));
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "patrol-record-refused.png"), FullPage = true });

            await page.SetInputFilesAsync("#patrol-record-form-photo", new FilePayload { Name = "seal.jpg", MimeType = "image/jpeg", Buffer = jpeg });
            await page.ClickAsync("#patrol-record-form button[type=submit]");
            await page.Locator("#patrol-record-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "patrol-record-saved.png"), FullPage = true });
        });

        Assert.Equal(1L, await RecordsAsync(Shaft));
        Assert.Equal("damaged 封条一角撕开 true", await county.Db.ScalarAsync<string>("""
            SELECT concat_ws(' ', r.seal_condition, r.remarks, r.at_site::text) FROM patrol_record r JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = @c
            """, ("c", Shaft)));
        // Where it was filed: 12 m from the shaft on the ellipsoid, as the phone said.
        Assert.InRange(await county.Db.ScalarAsync<double>("""
            SELECT ST_Distance(geography(r.geom), geography(s.geom)) FROM patrol_record r JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = @c
            """, ("c", Shaft)), 11.5, 12.5);
        Assert.Equal(SHA256.HashData(jpeg), await county.Db.ScalarAsync<byte[]>("""
            SELECT p.sha256 FROM patrol_record_photo p JOIN patrol_record r ON r.id = p.record_id JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = @c
            """, ("c", Shaft)));
    }

    [Theory]
    [InlineData("desktop", "YC-CM-005-J1", "2026-05-20", "2026-12-06", "512.34")]
    [InlineData("phone", "YC-CM-005-J2", "2026-05-21", "2026-12-05", "512.3")]
    public async Task AResponsiblePersonAHandoverAnInspectionAndASurvey_AreStored_AndAMissingFieldIsNamed(
        string device, string shaft, string inspectedOn, string surveyedOn, string crest)
    {
        await WithPageAsync(device, Viewport(device), async (page, shots) =>
        {
            await OpenPopupAsync(page, $"SELECT geom FROM sealed_shaft WHERE code = '{shaft}'", "#popup .action-assignPerson");
            await page.ClickAsync("#popup .action-assignPerson");
            await page.Locator("#assign-form").WaitForAsync();

            // No name: the API names the field, nothing is written.
            var before = await AssignmentsAsync(shaft);
            await page.ClickAsync("#assign-form button[type=submit]");
            await page.Locator("#assign-form .form-message.error").WaitForAsync(new() { Timeout = 15_000 });
            Assert.NotEmpty(await page.Locator("#assign-form [name=name] + .field-error").InnerTextAsync());
            Assert.Equal(before, await AssignmentsAsync(shaft));

            await page.FillAsync("#assign-form [name=name]", "钱责任");
            await page.FillAsync("#assign-form [name=phone]", "13900001234");
            await page.FillAsync("#assign-form [name=from]", "2026-12-01T08:00");
            await page.ClickAsync("#assign-form button[type=submit]");
            await page.Locator("#assign-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.FillAsync("#handover-form [name=name]", "孙接任");
            await page.FillAsync("#handover-form [name=at]", "2026-12-05T09:30");
            await page.ClickAsync("#handover-form button[type=submit]");
            await page.Locator("#handover-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "assign-handover.png"), FullPage = device == "phone" });

            await OpenPopupAsync(page, "SELECT ST_PointOnSurface(geom) FROM tailings_pond WHERE code = 'YC-TP-04'", "#popup .action-inspect");
            await page.ClickAsync("#popup .action-inspect");
            await page.Locator("#inspection-form").WaitForAsync();
            await page.FillAsync("#inspection-form [name=done_on]", "");
            await page.ClickAsync("#inspection-form button[type=submit]");
            await page.Locator("#inspection-form .form-message.error").WaitForAsync(new() { Timeout = 15_000 });
            Assert.NotEmpty(await page.Locator("#inspection-form [name=done_on] + .field-error").InnerTextAsync());
            await page.SelectOptionAsync("#inspection-form [name=kind]", "pre_flood");
            await page.FillAsync("#inspection-form [name=done_on]", inspectedOn);
            await page.FillAsync("#inspection-form [name=findings]", "排洪井畅通");
            await page.ClickAsync("#inspection-form button[type=submit]");
            await page.Locator("#inspection-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.FillAsync("#survey-form [name=surveyed_on]", surveyedOn);
            await page.FillAsync("#survey-form [name=crest_m]", crest);
            await page.FillAsync("#survey-form [name=source]", "县测绘队");
            await page.ClickAsync("#survey-form button[type=submit]");
            await page.Locator("#survey-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "inspection-survey.png"), FullPage = device == "phone" });
        });

        // China times in, UTC stored: 08:00 and 09:30 (+08:00) are 00:00 and 01:30 UTC.
        Assert.Equal("钱责任 13900001234 2026-12-01T00:00:00Z 2026-12-05T01:30:00Z|孙接任  2026-12-05T01:30:00Z ", await county.Db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(' ', p.name, coalesce(p.phone, ''), to_char(a.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                        coalesce(to_char(a.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')), '|' ORDER BY a.valid_from)
            FROM assignment a JOIN person p ON p.id = a.person_id JOIN sealed_shaft s ON s.id = a.object_id
            WHERE a.object_kind = 'sealed_shaft' AND s.code = @c AND a.role = 'responsible_person'
            """, ("c", shaft)));
        Assert.Equal($"pre_flood {inspectedOn} 排洪井畅通", await county.Db.ScalarAsync<string>("""
            SELECT concat_ws(' ', i.kind, i.done_on::text, i.findings) FROM tailings_inspection i JOIN tailings_pond p ON p.id = i.pond_id
            WHERE p.code = 'YC-TP-04' AND i.done_on = @d::date
            """, ("d", inspectedOn)));
        Assert.Equal($"{crest} 县测绘队", await county.Db.ScalarAsync<string>("""
            SELECT concat_ws(' ', c.crest_m::text, c.source) FROM tailings_crest_survey c JOIN tailings_pond p ON p.id = c.pond_id
            WHERE p.code = 'YC-TP-04' AND c.surveyed_on = @d::date
            """, ("d", surveyedOn)));
    }

    [Theory]
    [InlineData("desktop", 3, "冯值班", "重叠值班")]
    [InlineData("phone", 4, "卫值班", "叠班")]
    public async Task TheFormsTab_ShowsTheDutyRoster_AndAddsAShift_AnOverlapIsRefused(string device, int inDays, string officer, string overlapping)
    {
        var day = DateTime.UtcNow.AddHours(8).AddDays(inDays).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var town = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' ORDER BY code LIMIT 1");
        await WithPageAsync(device, Viewport(device), async (page, shots) =>
        {
            await page.ClickAsync("#tabs button[data-panel='work']");
            await page.Locator("#duty-form").WaitForAsync(new() { Timeout = 15_000 });
            await page.SelectOptionAsync("#duty-form [name=town]", town);
            await page.FillAsync("#duty-form [name=name]", officer);
            await page.FillAsync("#duty-form [name=phone]", "13700000123");
            await page.FillAsync("#duty-form [name=from]", $"{day}T08:00");
            await page.FillAsync("#duty-form [name=to]", $"{day}T20:00");
            await page.ClickAsync("#duty-form button[type=submit]");
            await page.Locator("#duty-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.WaitForFunctionAsync("name => document.querySelector('#duty-list').textContent.includes(name)", officer, new() { Timeout = 15_000 });

            await page.FillAsync("#duty-form [name=name]", overlapping);
            await page.FillAsync("#duty-form [name=from]", $"{day}T19:00");
            await page.FillAsync("#duty-form [name=to]", $"{day}T22:00");
            await page.ClickAsync("#duty-form button[type=submit]");
            await page.Locator("#duty-form .form-message.error").WaitForAsync(new() { Timeout = 15_000 });
            Assert.Contains("already has an officer on duty", await page.Locator("#duty-form [name=town] + .field-error").InnerTextAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "duty-roster.png"), FullPage = device == "phone" });
        });

        Assert.Equal("13700000123", await county.Db.ScalarAsync<string>(
            "SELECT p.phone FROM duty_shift d JOIN person p ON p.id = d.person_id JOIN jurisdiction j ON j.id = d.jurisdiction_id WHERE p.name = @n AND j.code = @t",
            ("n", officer), ("t", town)));
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM duty_shift d JOIN person p ON p.id = d.person_id WHERE p.name = @n", ("n", overlapping)));
    }

    [Theory]
    [InlineData("desktop", "YC-CM-006-J1")]
    [InlineData("phone", "YC-CM-006-J2")]
    public async Task TheRegistryForm_HoldsTheCurrentValues_SendsWhatChanged_AndListsTheAudit(string device, string shaft)
    {
        var (status, method) = (await county.Db.ScalarAsync<string>("SELECT status FROM sealed_shaft WHERE code = @c", ("c", shaft)),
            await county.Db.ScalarAsync<string>("SELECT coalesce(seal_method, '') FROM sealed_shaft WHERE code = @c", ("c", shaft)));
        await WithPageAsync(device, Viewport(device), async (page, shots) =>
        {
            await OpenPopupAsync(page, $"SELECT geom FROM sealed_shaft WHERE code = '{shaft}'", "#popup .action-editRegistry");
            await page.ClickAsync("#popup .action-editRegistry");
            await page.Locator("#registry-form").WaitForAsync(new() { Timeout = 15_000 });
            Assert.Equal(status, await page.InputValueAsync("#registry-form [name=status]"));
            Assert.Equal(method, await page.InputValueAsync("#registry-form [name=seal_meth]"));
            // The believable ranges the API enforces (docs/data.md), offered to the inputs.
            Assert.Equal(("-3000", "9000"), (await page.Locator("#registry-form [name=elev_m]").GetAttributeAsync("min"),
                await page.Locator("#registry-form [name=elev_m]").GetAttributeAsync("max")));
            Assert.Equal(("1900-01-01", "2100-12-31"), (await page.Locator("#registry-form [name=sealed_on]").GetAttributeAsync("min"),
                await page.Locator("#registry-form [name=sealed_on]").GetAttributeAsync("max")));

            await page.FillAsync("#registry-form [name=seal_meth]", "钢筋混凝土封堵");
            await page.ClickAsync("#registry-form button[type=submit]");
            await page.Locator("#registry-form .form-message.error").WaitForAsync(new() { Timeout = 15_000 }); // no reason
            Assert.NotEmpty(await page.Locator("#registry-form [name=reason] + .field-error").InnerTextAsync());
            await page.FillAsync("#registry-form [name=reason]", "核实封堵方式");
            await page.ClickAsync("#registry-form button[type=submit]");
            await page.Locator("#registry-form .form-message.ok").WaitForAsync(new() { Timeout = 15_000 });
            await page.WaitForFunctionAsync("() => document.querySelector('.registry-changes').textContent.includes('钢筋混凝土封堵')", null, new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "registry.png"), FullPage = device == "phone" });
        });

        // Only the changed field was sent and audited.
        Assert.Equal("seal_meth 钢筋混凝土封堵 核实封堵方式 县自然资源局 郑工 (forms-bureau)", await county.Db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(' ', field, new_value, reason, actor), '|') FROM registry_change WHERE layer = 'shafts' AND object_key = @c
            """, ("c", shaft)));
        Assert.Equal(status, await county.Db.ScalarAsync<string>("SELECT status FROM sealed_shaft WHERE code = @c", ("c", shaft)));
    }

    private static BrowserNewPageOptions Viewport(string device) => device == "phone"
        ? new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, BypassCSP = true }
        : new() { ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true };

    private Task<long> RecordsAsync(string shaft) => county.Db.ScalarAsync<long>(
        "SELECT count(*) FROM patrol_record r JOIN sealed_shaft s ON s.id = r.shaft_id WHERE s.code = @c", ("c", shaft));

    private Task<long> AssignmentsAsync(string shaft) => county.Db.ScalarAsync<long>(
        "SELECT count(*) FROM assignment a JOIN sealed_shaft s ON s.id = a.object_id WHERE a.object_kind = 'sealed_shaft' AND s.code = @c", ("c", shaft));

    /// <summary>A real (1×1 pixel, baseline) JPEG file: what matters here is that the browser sends the file the camera
    /// input holds, byte for byte.</summary>
    private static byte[] Jpeg() => Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

    /// <summary>Centres the map on the point of <paramref name="sql"/> at zoom 15, clicks it and waits for <paramref name="ready"/>.</summary>
    private async Task OpenPopupAsync(IPage page, string sql, string ready)
    {
        var lon = await county.Db.ScalarAsync<double>($"SELECT ST_X(g) FROM ({sql}) x(g)");
        var lat = await county.Db.ScalarAsync<double>($"SELECT ST_Y(g) FROM ({sql}) x(g)");
        var pixel = await page.EvaluateAsync<double[]>("""
            async ([lon, lat]) => { const map = window.geomineMap; const at = ol.proj.fromLonLat([lon, lat]);
                                    map.getView().setCenter(at); map.getView().setZoom(15);
                                    await new Promise(done => map.once('rendercomplete', done));
                                    return map.getPixelFromCoordinate(at); }
            """, new[] { lon, lat });
        await page.Locator("#map").ScrollIntoViewIfNeededAsync();
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + pixel[0]), (float)(box.Y + pixel[1]));
        await page.Locator(ready).WaitForAsync(new() { Timeout = 15_000 });
    }

    private async Task WithPageAsync(string device, BrowserNewPageOptions options, Func<IPage, string, Task> test)
    {
        await TestUsers.EnsureAsync(county.Db, "forms-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1", "县自然资源局 郑工");
        await using var server = await LoopbackServer.StartAsync(county.Db);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ChromiumArgs });
        var page = await browser.NewPageAsync(options);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await MapPageTests.SignInAsync(page, server.Root, "forms-bureau", "bureau-password-1");
        await page.WaitForFunctionAsync("window.geomineReady === true", null, new() { Timeout = 30_000 });
        await test(page, TestPaths.NewOutputDirectory($"map-forms-{device}"));
        Assert.Empty(errors);
    }
}
