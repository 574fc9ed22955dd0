using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Demo;

/// <summary>
/// The demo county, lived in: <c>geomine demo load</c>, then a running server replays the recorded tracks of data/demo
/// through its own feed. Within a minute the excavator is 越界 (its track leaves 石龙岗's licence 320 m to the west) and the
/// truck 死灰复燃 (22 minutes at 大安煤矿); the visit job finds the recorded patrols — 箕山电煤's J3 last visited ten days
/// ago is overdue, J1 visited two days ago is not —, 板桥煤矿's shafts have nobody; the page is told it is demo data.
/// <c>geomine demo remove</c> then leaves the database as it was before, counted table by table — but for the alarms,
/// whose audit trail nobody may erase: they are closed as demo data, each with an event saying so, and kept.
/// </summary>
public sealed class DemoCountyTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    // What the demo adds and its removal takes away; alarms are not in it: their audit trail is append-only, so the
    // demo's alarms are closed as demo data and kept (with the devices they name, disabled).
    private const string Counts = """
        SELECT concat_ws(' ', (SELECT count(*) FROM person), (SELECT count(*) FROM device WHERE enabled), (SELECT count(*) FROM assignment),
                         (SELECT count(*) FROM patrol_visit), (SELECT count(*) FROM position), (SELECT count(*) FROM patrol_track_day),
                         (SELECT count(*) FROM detection_state), (SELECT count(*) FROM alarm WHERE state <> 'closed'))
        """;

    private Task<(int Code, string Output)> RunAsync(params string[] args) =>
        CliProcess.RunAsync(args, environment: new Dictionary<string, string> { ["GEOMINE_DB"] = county.Db.ConnectionString });

    private static async Task UntilAsync(Func<Task<bool>> condition, int seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} within {seconds} s");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task TheDemoLoads_ItsTracksMakeVisitsAnOverdueShaftA越界AndA死灰复燃_AndRemovingItLeavesTheDatabaseAsBefore()
    {
        var before = await county.Db.ScalarAsync<string>(Counts);
        var (code, output) = await RunAsync("demo", "load");
        Assert.True(code == 0, output);
        Assert.Contains("demo-phone-1", output, StringComparison.Ordinal);
        Assert.Contains("already", (await RunAsync("demo", "load")).Output, StringComparison.Ordinal); // once

        await using (var server = await LoopbackServer.StartAsync(county.Db, "--Demo:Tick=00:00:01"))
        {
            using var client = new HttpClient { BaseAddress = new Uri(server.Root) };
            client.DefaultRequestHeaders.Add("X-Api-Token", await TestUsers.TokenAsync(county.Db, "demo-bureau", GeoMine.Viewer.Access.Roles.CountyBureau));
            Assert.True((await client.GetFromJsonAsync<JsonObject>("/api/viewer/config"))!["demo"]!.GetValue<bool>());

            // Live detection, by the rules every device meets.
            const string Alarm = "SELECT EXISTS (SELECT FROM alarm a JOIN device d ON d.id = a.device_id WHERE d.device_key = @d AND a.kind = @k)";
            await UntilAsync(async () => await county.Db.ScalarAsync<bool>(Alarm, ("d", "demo-excavator-1"), ("k", "out_of_boundary"))
                                      && await county.Db.ScalarAsync<bool>(Alarm, ("d", "demo-truck-1"), ("k", "closed_mine_activity")),
                90, "越界 of the excavator and 死灰复燃 of the truck");
            Assert.Equal("C5001182017051130144310", await county.Db.ScalarAsync<string>("""
                SELECT r.licence_no FROM alarm a JOIN device d ON d.id = a.device_id JOIN mining_right r ON r.id = a.object_id
                WHERE d.device_key = 'demo-excavator-1' AND a.kind = 'out_of_boundary'
                """));
            Assert.Equal("YC-CM-006", await county.Db.ScalarAsync<string>("""
                SELECT m.code FROM alarm a JOIN device d ON d.id = a.device_id JOIN closed_mine m ON m.id = a.object_id
                WHERE d.device_key = 'demo-truck-1' AND a.kind = 'closed_mine_activity'
                """));

            // The recorded patrols: the visit job (run as an operator would) finds them once their fixes are past its commit lag.
            var todayChina = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
            const string LastVisit = """
                SELECT coalesce((max(v.arrived_at) AT TIME ZONE 'Asia/Shanghai')::date, '1970-01-01')
                FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id WHERE s.code = @s
                """;
            await UntilAsync(async () =>
            {
                Assert.Equal(0, (await RunAsync("jobs", "run", "patrol-visits")).Code);
                return await county.Db.ScalarAsync<DateOnly>(LastVisit, ("s", "YC-CM-004-J1")) >= todayChina.AddDays(-2)
                       && await county.Db.ScalarAsync<long>("""
                           SELECT count(DISTINCT v.shaft_id) FROM patrol_visit v JOIN device d ON d.id = v.device_id WHERE d.device_key LIKE 'demo-phone-%'
                           """) == 21; // every shaft but 板桥煤矿's two
            }, 90, "visits of every recorded patrol");
            Assert.Equal(4L, await county.Db.ScalarAsync<long>("""
                SELECT count(DISTINCT s.code) FROM patrol_visit v JOIN sealed_shaft s ON s.id = v.shaft_id JOIN device d ON d.id = v.device_id
                WHERE d.device_key = 'demo-phone-1'
                """));
            Assert.Equal(todayChina.AddDays(-10), await county.Db.ScalarAsync<DateOnly>(LastVisit, ("s", "YC-CM-004-J3"))); // skipped two days ago

            // The page, once the visits are in: marked as demo data; the red 死灰复燃 heads the alarm list.
            await TestUsers.EnsureAsync(county.Db, "demo-page", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1");
            using (var playwright = await Microsoft.Playwright.Playwright.CreateAsync())
            {
                await using var browser = await playwright.Chromium.LaunchAsync(new()
                {
                    ExecutablePath = "/usr/bin/chromium", Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
                });
                foreach (var (device, viewport) in new (string, Microsoft.Playwright.BrowserNewPageOptions)[]
                         {
                             ("desktop", new() { ViewportSize = new() { Width = 1400, Height = 900 } }),
                             ("phone", new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2 }),
                         })
                {
                    var page = await browser.NewPageAsync(viewport);
                    await Page.MapPageTests.SignInAsync(page, server.Root, "demo-page", "bureau-password-1");
                    await Page.MapPageTests.UntilAsync(page, "() => window.geomineReady === true", 30_000); // the page's CSP enforced
                    Assert.Equal("演示数据", await page.Locator("#demo-badge").InnerTextAsync());
                    Assert.True(await page.Locator("#demo-badge").IsVisibleAsync(), $"the demo badge is hidden on the {device}");
                    await page.Locator("#alarm-list li[data-id]").First.WaitForAsync(new() { Timeout = 15_000 });
                    Assert.Contains("死灰复燃", await page.Locator("#alarm-list li[data-id]").First.InnerTextAsync(), StringComparison.Ordinal);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.NewOutputDirectory("demo-county"), $"demo-map-{device}.png"), FullPage = device == "phone" });
                    await page.CloseAsync();
                }
            }

            var j3 = (await client.GetFromJsonAsync<JsonObject>("/api/shafts/YC-CM-004-J3"))!;
            var j1 = (await client.GetFromJsonAsync<JsonObject>("/api/shafts/YC-CM-004-J1"))!;
            Assert.Equal(("overdue", "演示·陈巡查"), (j3["patrol_status"]!.GetValue<string>(), j3["responsible"]![0]!["name"]!.GetValue<string>()));
            Assert.Equal("ok", j1["patrol_status"]!.GetValue<string>());
            Assert.Equal("ok", (await client.GetFromJsonAsync<JsonObject>("/api/shafts/YC-CM-001-J1"))!["patrol_status"]!.GetValue<string>()); // yesterday
            var j9 = (await client.GetFromJsonAsync<JsonObject>("/api/shafts/YC-CM-009-J1"))!;
            Assert.True(j9["unassigned"]!.GetValue<bool>(), j9.ToJsonString());
        }

        (code, output) = await RunAsync("demo", "remove");
        Assert.True(code == 0, output);
        Assert.Equal(before, await county.Db.ScalarAsync<string>(Counts));
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM person WHERE name LIKE '演示·%'"));
        Assert.Contains("no demo", (await RunAsync("demo", "status")).Output, StringComparison.Ordinal);
        Assert.Equal("closed false_alarm geomine demo remove", await county.Db.ScalarAsync<string>("""
            SELECT string_agg(DISTINCT concat_ws(' ', a.state, a.outcome,
                   (SELECT e.actor FROM alarm_event e WHERE e.alarm_id = a.id ORDER BY e.id DESC LIMIT 1)), '|')
            FROM alarm a JOIN device d ON d.id = a.device_id WHERE d.device_key LIKE 'demo-%'
            """));
        Assert.False(await county.Db.ScalarAsync<bool>("SELECT bool_or(enabled) FROM device WHERE device_key LIKE 'demo-%'"));

        // Loaded again (a device kept disabled comes back), and removed again.
        Assert.Equal(0, (await RunAsync("demo", "load")).Code);
        Assert.Equal((long)GeoMine.Viewer.Demo.DemoCounty.Devices.Count, await county.Db.ScalarAsync<long>("SELECT count(*) FROM device WHERE device_key LIKE 'demo-%' AND enabled"));
        Assert.Equal(0, (await RunAsync("demo", "remove")).Code);
        Assert.Equal(before, await county.Db.ScalarAsync<string>(Counts));
    }
}
