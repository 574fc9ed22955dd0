using System.Diagnostics;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;
using Microsoft.Playwright;

namespace GeoMine.Viewer.Tests.Page;

/// <summary>
/// Two app nodes behind Debian's nginx with the documented configuration (docs/nginx/geomine.conf, ports replaced), one
/// database: in real Chromium a sign-in made through nginx is valid on both nodes, and the open map page hears red
/// alarms raised through either node's feed at once — listed without a reload, red first, and announced in the title.
/// </summary>
public sealed class NginxTwoNodesTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task BehindNginx_ASignInHoldsOnBothNodes_AndThePageHearsAlarmsFromEitherNode()
    {
        await TestUsers.EnsureAsync(county.Db, "nginx-bureau", GeoMine.Viewer.Access.Roles.CountyBureau, "bureau-password-1", "县应急局 值班员");
        var registry = new GeoMine.Patrol.Devices.DeviceRegistry(GeoDataSource.For(county.Db.ConnectionString), TimeProvider.System);
        await registry.AddAsync("nginx-phone-a", "patrol_phone", ownerName: "孙甲");
        await registry.AddAsync("nginx-phone-b", "patrol_phone", ownerName: "孙乙");
        var (lon, lat) = (await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"),
            await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = 'YC-CM-001-J1'"));
        await using var nodeA = await LoopbackServer.StartAsync(county.Db, "--GeoMine:NodeName=node-a");
        await using var nodeB = await LoopbackServer.StartAsync(county.Db, "--GeoMine:NodeName=node-b");
        await using var nginx = await NginxProxy.StartAsync([nodeA.Port, nodeB.Port]);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true });
        await MapPageTests.SignInAsync(page, nginx.Root, "nginx-bureau", "bureau-password-1");
        await page.WaitForFunctionAsync("window.geomineAlarmsLive === true", null, new() { Timeout = 45_000 });

        // The session cookie works on both nodes: nginx alternates them and every answer is the signed-in user.
        var answers = await page.EvaluateAsync<string[]>("""
            async () => Promise.all([...Array(6)].map(async () => {
                const r = await fetch('/api/session'); const s = await r.json();
                return `${r.status} ${r.headers.get('X-GeoMine-Node')} ${s.name}`; }))
            """);
        Assert.All(answers, a => Assert.EndsWith(" nginx-bureau", a, StringComparison.Ordinal));
        Assert.All(answers, a => Assert.StartsWith("200 ", a, StringComparison.Ordinal));
        Assert.Equal(["node-a", "node-b"], answers.Select(a => a.Split(' ')[1]).Distinct().Order());

        // An orange alarm first, then an SOS through each node's own feed: whichever node holds the page's stream, one of
        // them was raised on the other.
        await county.Db.ExecuteAsync("""
            INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
            SELECT 'patrol_overdue', 'orange', 'sealed_shaft', s.id, m.town_id, '橙色 nginx', now(), now(), '{}'
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = 'YC-CM-003-J1'
            """);
        using var phone = new HttpClient();
        foreach (var (node, device) in new[] { (nodeA, "nginx-phone-a"), (nodeB, "nginx-phone-b") })
        {
            var sent = await phone.GetAsync(FormattableString.Invariant(
                $"{node.Root}/api/osmand?id={device}&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&lat={lat}&lon={lon}&accuracy=5&alarm=sos"));
            Assert.Equal(System.Net.HttpStatusCode.OK, sent.StatusCode);
        }

        await page.WaitForFunctionAsync("""
            () => [...document.querySelectorAll('#alarm-list .alarm-title')].filter(e => e.textContent.includes('孙甲') || e.textContent.includes('孙乙')).length === 2
            """, null, new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestPaths.NewOutputDirectory("nginx-two-nodes"), "live-alarms.png") });

        var titles = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#alarm-list .alarm-title')].map(e => e.textContent)");
        Assert.Contains("孙", titles[0], StringComparison.Ordinal); // red first…
        Assert.Contains("孙", titles[1], StringComparison.Ordinal);
        Assert.True(Array.IndexOf(titles, "橙色 nginx") > 1, string.Join(" | ", titles)); // …then the orange one
        Assert.Equal(2, await page.EvaluateAsync<int>("() => window.geomineAnnounced"));
        Assert.StartsWith("【红色告警】", await page.TitleAsync(), StringComparison.Ordinal);
    }
}

/// <summary>Debian's nginx on a loopback port, in front of the given app ports, with docs/nginx/geomine.conf as
/// documented (only the upstream servers and the listen address replaced) inside a minimal main configuration.</summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _nginx;
    private readonly string _dir;

    private NginxProxy(Process nginx, string dir, int port) => (_nginx, _dir, Port) = (nginx, dir, port);

    public int Port { get; }

    public string Root => $"http://127.0.0.1:{Port}";

    public static async Task<NginxProxy> StartAsync(IReadOnlyList<int> appPorts)
    {
        var dir = TestPaths.NewOutputDirectory("nginx");
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(dir, temp));
        }

        // nginx's workers run as another user when started as root: they must be able to use the temporary folders.
        if (!OperatingSystem.IsWindows())
        {
            foreach (var folder in Directory.GetDirectories(dir).Append(dir))
            {
                File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
            }
        }

        var port = FreePort.Next();
        var documented = await File.ReadAllTextAsync(Path.Combine(TestPaths.Root, "docs", "nginx", "geomine.conf"));
        var site = documented
            .Replace("    server 10.0.0.11:5080;\n    server 10.0.0.12:5080;\n", string.Concat(appPorts.Select(p => $"    server 127.0.0.1:{p};\n")), StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.1", site, StringComparison.Ordinal); // the documented file still has the shape this test replaces
        await File.WriteAllTextAsync(Path.Combine(dir, "geomine.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log {{dir}}/access.log;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                include {{dir}}/geomine.conf;
            }
            """);
        var nginx = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx",
            ["-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-g", "daemon off;"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            if (nginx.HasExited)
            {
                throw new InvalidOperationException($"nginx stopped: {await nginx.StandardError.ReadToEndAsync()} {await File.ReadAllTextAsync(Path.Combine(dir, "error.log"))}");
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode)
                {
                    return new NginxProxy(nginx, dir, port);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        nginx.Kill();
        throw new InvalidOperationException("nginx did not answer within 10 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }

        _nginx.Dispose();
        _ = _dir;
    }
}
