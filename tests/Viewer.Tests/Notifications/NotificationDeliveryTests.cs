using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Notifications;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;

namespace GeoMine.Viewer.Tests.Notifications;

/// <summary>
/// Alarms reach people: the notice written with the alarm (by the database, whoever raised it) goes to a WeCom robot, a
/// DingTalk robot (signed) and a signed webhook — real HTTP peers on loopback — with what, where, since when, who answers
/// and a link; once per channel even with two nodes sending side by side; retried after failures, every attempt recorded;
/// held back in quiet hours unless red.
/// </summary>
public sealed class NotificationDeliveryTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Shaft = "YC-CM-001-J1";

    private NotificationDispatcher Dispatcher(NotificationOptions settings, string node = "node-a") =>
        new(GeoDataSource.For(county.Db.ConnectionString), Options.Create(settings), new ChannelSender(new HttpClient(), TimeProvider.System)) { Node = node };

    /// <summary>What earlier tests of this class left is not news for the next.</summary>
    private Task ForgetEarlierNoticesAsync() => county.Db.ExecuteAsync("""
        UPDATE alarm_notice SET routed_at = now() WHERE routed_at IS NULL;
        UPDATE notice_delivery SET failed_at = now() WHERE delivered_at IS NULL AND failed_at IS NULL;
        """);

    /// <summary>An alarm about a shaft, inserted as any writer would; <paramref name="ended"/> keeps it out of the running
    /// episodes (so that many may be raised about one shaft).</summary>
    private Task<long> RaiseAsync(string kind, string severity, string shaft, string title, bool ended = false) => county.Db.ScalarAsync<long>("""
        INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, ended_at, evidence)
        SELECT @kind, @severity, 'sealed_shaft', s.id, m.town_id, @title, '2026-12-07T01:30:00Z', '2026-12-07T01:30:00Z',
               CASE WHEN @ended THEN '2026-12-07T01:31:00Z'::timestamptz END, '{}'
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @shaft RETURNING id
        """, ("kind", kind), ("severity", severity), ("shaft", shaft), ("title", title), ("ended", ended));

    [Fact]
    public async Task ARedAlarm_ReachesWeComDingTalkAndAWebhook_WithWhatWhereSinceWhenWhoAndALink_Once()
    {
        await ForgetEarlierNoticesAsync();
        await using var peer = await PeerReceiver.StartAsync();
        await county.Db.ExecuteAsync("""
            WITH p AS (INSERT INTO person (name, phone) VALUES ('李责任', '13900000001') RETURNING id)
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
            SELECT p.id, 'responsible_person', 'sealed_shaft', s.id, '2026-01-01T00:00:00Z' FROM p, sealed_shaft s WHERE s.code = @shaft
            """, ("shaft", Shaft));
        var settings = new NotificationOptions
        {
            PublicUrl = "https://geomine.example.gov.cn/",
            Channels =
            [
                new() { Name = "duty-wecom", Kind = "wecom", Url = $"{peer.Root}/cgi-bin/webhook/send?key=robot-key-1" },
                new() { Name = "duty-dingtalk", Kind = "dingtalk", Url = $"{peer.Root}/robot/send?access_token=token-2", Secret = "SECdingtalk-secret" },
                new() { Name = "bureau-system", Kind = "webhook", Url = $"{peer.Root}/hooks/geomine", Secret = "hook-secret" },
            ],
        };
        var id = await RaiseAsync("seal_finding", "red", Shaft, "YC-CM-001-J1 封条被撬开");
        var town = await county.Db.ScalarAsync<string>(
            "SELECT t.name FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = @s", ("s", Shaft));
        var lon = (await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = @s", ("s", Shaft))).ToString("0.000000", CultureInfo.InvariantCulture);

        var first = await Dispatcher(settings).RunOnceAsync(DateTime.UtcNow);
        var again = await Dispatcher(settings).RunOnceAsync(DateTime.UtcNow);

        Assert.Equal(new DispatchResult(1, 3, 0), first);
        Assert.Equal(new DispatchResult(0, 0, 0), again);
        Assert.Equal(3, peer.Requests.Count);
        var wecom = peer.Requests.Single(r => r.Path == "/cgi-bin/webhook/send");
        Assert.Equal("?key=robot-key-1", wecom.Query);
        var content = JsonDocument.Parse(wecom.Body).RootElement;
        Assert.Equal("markdown", content.GetProperty("msgtype").GetString());
        var text = content.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.Contains("红色告警】封闭异常", text, StringComparison.Ordinal);
        Assert.Contains("YC-CM-001-J1 封条被撬开", text, StringComparison.Ordinal);
        Assert.Contains(town, text, StringComparison.Ordinal);
        Assert.Contains(lon, text, StringComparison.Ordinal);
        Assert.Contains("2026-12-07 09:30（北京时间）", text, StringComparison.Ordinal); // 01:30 UTC
        Assert.Contains("李责任 13900000001", text, StringComparison.Ordinal);
        Assert.Contains($"(https://geomine.example.gov.cn/?alarm={id})", text, StringComparison.Ordinal);

        // DingTalk's signature as its documentation computes it: Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded.
        var dingtalk = peer.Requests.Single(r => r.Path == "/robot/send");
        var query = System.Web.HttpUtility.ParseQueryString(dingtalk.Query);
        Assert.Equal("token-2", query["access_token"]);
        var expectedSign = Convert.ToBase64String(HMACSHA256.HashData("SECdingtalk-secret"u8.ToArray(), Encoding.UTF8.GetBytes($"{query["timestamp"]}\nSECdingtalk-secret")));
        Assert.Equal(expectedSign, query["sign"]);
        Assert.True(Math.Abs(long.Parse(query["timestamp"]!, CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) < 60_000);
        Assert.Equal("markdown", JsonDocument.Parse(dingtalk.Body).RootElement.GetProperty("msgtype").GetString());

        // The webhook: HMAC-SHA256 over "timestamp.body" with the shared secret, the alarm as JSON.
        var hook = peer.Requests.Single(r => r.Path == "/hooks/geomine");
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("hook-secret"u8.ToArray(), Encoding.UTF8.GetBytes($"{hook.Headers["X-GeoMine-Timestamp"]}.{hook.Body}")));
        Assert.Equal(signature, hook.Headers["X-GeoMine-Signature"]);
        var alarm = JsonDocument.Parse(hook.Body).RootElement.GetProperty("alarm");
        Assert.Equal(id, alarm.GetProperty("id").GetInt64());
        Assert.Equal("red", alarm.GetProperty("severity").GetString());
        Assert.Equal(4490, alarm.GetProperty("srid").GetInt32());

        // Every attempt is on record with the alarm, and none names a robot's key.
        Assert.Equal(3, await county.Db.ScalarAsync<long>("""
            SELECT count(*) FROM notice_attempt x JOIN notice_delivery d ON d.id = x.delivery_id JOIN alarm_notice n ON n.id = d.notice_id
            WHERE n.alarm_id = @id AND x.ok AND d.delivered_at IS NOT NULL AND x.detail NOT LIKE '%robot-key%' AND x.detail NOT LIKE '%token-2%'
            """, ("id", id)));
        await using var app = new GeoMineApplication(county.Db);
        var detail = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/api/alarms/{id}")).RootElement;
        Assert.Equal(["bureau-system delivered", "duty-dingtalk delivered", "duty-wecom delivered"], detail.GetProperty("notifications").EnumerateArray()
            .Select(n => $"{n.GetProperty("channel").GetString()} {n.GetProperty("state").GetString()}"));
    }

    [Fact]
    public async Task TwoNodesSendingSideBySide_SendEachDeliveryOnce()
    {
        await ForgetEarlierNoticesAsync();
        await using var peer = await PeerReceiver.StartAsync();
        peer.Delay = TimeSpan.FromMilliseconds(20); // slow peer: both nodes are sending at the same time
        var settings = new NotificationOptions { Channels = [new() { Name = "hook", Kind = "webhook", Url = $"{peer.Root}/hook" }] };
        var ids = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await RaiseAsync("patrol_overdue", "yellow", Shaft, $"two-nodes {i}", ended: true));
        }

        var now = DateTime.UtcNow;
        var routed = await Task.WhenAll(Dispatcher(settings, "node-a").RouteAsync(now), Dispatcher(settings, "node-b").RouteAsync(now));
        var sent = await Task.WhenAll(Dispatcher(settings, "node-a").SendDueAsync(now), Dispatcher(settings, "node-b").SendDueAsync(now));

        var delivered = peer.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("alarm").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), delivered.Order());
        Assert.Equal(30, routed.Sum());
        Assert.Equal(30, sent.Sum(r => r.Sent));
        Assert.Equal(30, await county.Db.ScalarAsync<long>(
            "SELECT count(*) FROM notice_attempt x JOIN notice_delivery d ON d.id = x.delivery_id JOIN alarm_notice n ON n.id = d.notice_id WHERE n.alarm_id = ANY(@ids)",
            ("ids", ids.ToArray())));
    }

    [Fact]
    public async Task AFailedSend_IsRetriedAfterADoublingWait_AndARobotsRefusalCountsAsAFailure()
    {
        await ForgetEarlierNoticesAsync();
        await using var peer = await PeerReceiver.StartAsync();
        peer.Answer = (request, before) => request.Path == "/robot"
            ? (200, """{"errcode":93000,"errmsg":"invalid webhook url"}""")
            : before < 2 ? (500, "busy") : (200, "ok");
        var settings = new NotificationOptions
        {
            FirstRetryDelay = TimeSpan.FromMinutes(1), MaxAttempts = 5,
            Channels = [new() { Name = "hook", Kind = "webhook", Url = $"{peer.Root}/hook" }, new() { Name = "robot", Kind = "wecom", Url = $"{peer.Root}/robot?key=k" }],
        };
        var id = await RaiseAsync("patrol_overdue", "orange", Shaft, "retry", ended: true);
        var t0 = DateTime.UtcNow;

        await Dispatcher(settings).RunOnceAsync(t0);                                  // hook: 500 (attempt 1); robot: refused (1)
        await Dispatcher(settings).RunOnceAsync(t0.AddSeconds(30));                   // nothing due yet
        await Dispatcher(settings).RunOnceAsync(t0.AddSeconds(61));                   // hook: 500 (2), waits 2 min; robot: refused (2)
        await Dispatcher(settings).RunOnceAsync(t0.AddSeconds(61 + 119));             // not yet
        await Dispatcher(settings).RunOnceAsync(t0.AddSeconds(61 + 121));             // hook: 200 (3)

        Assert.Equal(3, peer.Requests.Count(r => r.Path == "/hook"));
        var attempts = await county.Db.ScalarAsync<string>("""
            SELECT string_agg(x.ok::text || ' ' || x.detail, ' | ' ORDER BY x.attempted_at) FROM notice_attempt x
            JOIN notice_delivery d ON d.id = x.delivery_id JOIN alarm_notice n ON n.id = d.notice_id WHERE n.alarm_id = @id AND d.channel = 'hook'
            """, ("id", id));
        Assert.Equal("false HTTP 500: busy | false HTTP 500: busy | true HTTP 200: ok", attempts);
        Assert.True(await county.Db.ScalarAsync<bool>(
            "SELECT d.delivered_at IS NULL AND d.last_error LIKE '%refused%93000%' FROM notice_delivery d JOIN alarm_notice n ON n.id = d.notice_id WHERE n.alarm_id = @id AND d.channel = 'robot'",
            ("id", id)));
    }

    [Fact]
    public async Task QuietHours_HoldBackAllButRed_UntilTheyEnd()
    {
        await ForgetEarlierNoticesAsync();
        await using var peer = await PeerReceiver.StartAsync();
        var settings = new NotificationOptions
        {
            QuietFrom = new TimeOnly(22, 0), QuietTo = new TimeOnly(7, 0),
            Channels = [new() { Name = "hook", Kind = "webhook", Url = $"{peer.Root}/hook" }],
        };
        var orange = await RaiseAsync("patrol_overdue", "orange", Shaft, "quiet orange", ended: true);
        var red = await RaiseAsync("seal_finding", "red", Shaft, "quiet red", ended: true);
        var lateEvening = new DateTime(2026, 12, 7, 15, 30, 0, DateTimeKind.Utc); // 23:30 China time

        await Dispatcher(settings).RunOnceAsync(lateEvening);
        var atNight = peer.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("alarm").GetProperty("id").GetInt64()).ToList();
        await Dispatcher(settings).RunOnceAsync(new DateTime(2026, 12, 7, 22, 59, 0, DateTimeKind.Utc)); // 06:59
        var beforeSeven = peer.Requests.Count;
        await Dispatcher(settings).RunOnceAsync(new DateTime(2026, 12, 7, 23, 0, 0, DateTimeKind.Utc)); // 07:00 China time

        Assert.Equal([red], atNight);
        Assert.Equal(1, beforeSeven);
        Assert.Equal(orange, JsonDocument.Parse(peer.Requests.Last().Body).RootElement.GetProperty("alarm").GetProperty("id").GetInt64());
    }

    /// <summary>The database writes the notices: a raise, a higher severity and an escalation for want of acknowledgement
    /// each give one; other changes of the alarm none. Notices older than a day are history: routed to nobody.</summary>
    [Fact]
    public async Task TheDatabaseWritesANoticeForEachRaiseSeverityRiseAndAckEscalation_OldNoticesAreNotSent()
    {
        await ForgetEarlierNoticesAsync();
        var id = await RaiseAsync("patrol_overdue", "yellow", Shaft, "notices", ended: true);
        await county.Db.ExecuteAsync("UPDATE alarm SET last_seen_at = now(), evidence = evidence || '{\"fixes\": 3}' WHERE id = @id", ("id", id));
        await county.Db.ExecuteAsync("UPDATE alarm SET severity = 'orange' WHERE id = @id", ("id", id));
        await county.Db.ExecuteAsync("UPDATE alarm SET severity = 'yellow' WHERE id = @id", ("id", id)); // lower: no notice
        await county.Db.ExecuteAsync("UPDATE alarm SET evidence = evidence || '{\"ack_escalations\": [{\"level\": 1}]}' WHERE id = @id", ("id", id));

        Assert.Equal("raised severity_raised ack_escalated", await county.Db.ScalarAsync<string>(
            "SELECT string_agg(event, ' ' ORDER BY id) FROM alarm_notice WHERE alarm_id = @id", ("id", id)));

        await using var peer = await PeerReceiver.StartAsync();
        var settings = new NotificationOptions { Channels = [new() { Name = "hook", Kind = "webhook", Url = $"{peer.Root}/hook" }] };
        var result = await Dispatcher(settings).RunOnceAsync(DateTime.UtcNow.AddDays(2));
        Assert.Equal(new DispatchResult(3, 0, 0), result);
        Assert.Empty(peer.Requests);
    }

    /// <summary>The host delivers by itself: an SOS sent through the real feed to a running server reaches the webhook,
    /// woken by PostgreSQL NOTIFY (the worker also polls).</summary>
    [Fact]
    public async Task ARunningServer_DeliversAPhonesSos_ToTheConfiguredWebhook()
    {
        await ForgetEarlierNoticesAsync();
        await using var peer = await PeerReceiver.StartAsync();
        await new GeoMine.Patrol.Devices.DeviceRegistry(GeoDataSource.For(county.Db.ConnectionString), TimeProvider.System)
            .AddAsync("notify-sos-phone", "patrol_phone", ownerName: "赵巡查");
        var (lon, lat) = (await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = @s", ("s", Shaft)),
            await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = @s", ("s", Shaft)));
        await using var server = await LoopbackServer.StartAsync(county.Db,
            "--Notifications:Channels:0:Name=hook", "--Notifications:Channels:0:Kind=webhook", $"--Notifications:Channels:0:Url={peer.Root}/hook",
            "--Notifications:PollInterval=00:01:00"); // a minute: only NOTIFY wakes it within this test

        using var phone = new HttpClient();
        var sent = await phone.GetAsync(FormattableString.Invariant(
            $"{server.Root}/api/osmand?id=notify-sos-phone&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&lat={lat}&lon={lon}&accuracy=5&alarm=sos"));
        Assert.Equal(System.Net.HttpStatusCode.OK, sent.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (peer.Requests.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var alarm = JsonDocument.Parse(Assert.Single(peer.Requests).Body).RootElement.GetProperty("alarm");
        Assert.Equal("phone_sos", alarm.GetProperty("kind").GetString());
        Assert.Equal("red", alarm.GetProperty("severity").GetString());
        Assert.Contains("赵巡查", alarm.GetProperty("responsible").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A node killed (SIGKILL) while its send hangs at the peer commits nothing about that delivery: the next node
    /// sends it — once, under the same <c>X-GeoMine-Delivery</c> id as the send that died, so that a receiver which did get
    /// the first can tell — and its single attempt is the one recorded.</summary>
    [Fact]
    public async Task ANodeKilledWhileSending_LeavesTheDeliveryToTheNextNode_WhichSendsItOnce()
    {
        await ForgetEarlierNoticesAsync();
        await TestUsers.EnsureAsync(county.Db, "kill-admin", GeoMine.Viewer.Access.Roles.Administrator, "kill-admin-password-1");
        await using var peer = await PeerReceiver.StartAsync();
        peer.Delay = TimeSpan.FromMinutes(10); // node A's send hangs until A dies
        var channel = new Dictionary<string, string>
        {
            ["Notifications__Channels__0__Name"] = "hook", ["Notifications__Channels__0__Kind"] = "webhook",
            ["Notifications__Channels__0__Url"] = $"{peer.Root}/hook", ["Notifications__SendTimeout"] = "00:10:00",
            ["Scheduler__Enabled"] = "false", ["GeoMine__OsmAndPort"] = "0",
        };
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "geomine"),
            ["up", "--db", county.Db.ConnectionString, "--url", $"http://127.0.0.1:{FreePort.Next()}", "--no-sample-data"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in channel)
        {
            start.Environment[name] = value;
        }

        using var nodeA = System.Diagnostics.Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        nodeA.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        nodeA.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        nodeA.BeginOutputReadLine();
        nodeA.BeginErrorReadLine();
        long alarm;
        try
        {
            alarm = await RaiseAsync("seal_finding", "red", Shaft, "中断 封条破坏", ended: true);
            var deadline = DateTime.UtcNow.AddSeconds(90); // the process starts, migrates (nothing to do) and serves first
            while (!peer.Requests.Any(r => r.Body.Contains("中断 封条破坏", StringComparison.Ordinal)) && DateTime.UtcNow < deadline && !nodeA.HasExited)
            {
                await Task.Delay(100);
            }

            Assert.True(peer.Requests.Any(r => r.Body.Contains("中断 封条破坏", StringComparison.Ordinal)), "node A never sent: " + string.Join("\n", output));
        }
        finally
        {
            nodeA.Kill(entireProcessTree: true);
            await nodeA.WaitForExitAsync();
        }

        const string Delivery = """
            SELECT concat_ws(' ', (d.delivered_at IS NOT NULL)::text, d.attempts, (SELECT count(*) FROM notice_attempt x WHERE x.delivery_id = d.id))
            FROM notice_delivery d JOIN alarm_notice n ON n.id = d.notice_id WHERE n.alarm_id = @a AND n.event = 'raised'
            """;
        Assert.Equal("false 0 0", await county.Db.ScalarAsync<string>(Delivery, ("a", alarm))); // delivered, attempts, attempt rows

        peer.Delay = TimeSpan.Zero;
        await using (var nodeB = await LoopbackServer.StartAsync(county.Db, [.. channel.Select(c => $"--{c.Key.Replace("__", ":", StringComparison.Ordinal)}={c.Value}")]))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await county.Db.ScalarAsync<bool>("SELECT NOT EXISTS (SELECT FROM notice_delivery d JOIN alarm_notice n ON n.id = d.notice_id WHERE n.alarm_id = @a AND d.delivered_at IS NOT NULL)", ("a", alarm))
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromSeconds(3)); // time for a wrong second send
        }

        var sends = peer.Requests.Where(r => r.Body.Contains("中断 封条破坏", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, sends.Count); // the one that died with node A, and node B's
        Assert.Single(sends.Select(r => r.Headers["X-GeoMine-Delivery"]).Distinct());
        Assert.Equal("true 1 1", await county.Db.ScalarAsync<string>(Delivery, ("a", alarm)));
        Assert.Equal(0L, await county.Db.ScalarAsync<long>("SELECT count(*) FROM notice_attempt WHERE node = @n",
            ("n", Environment.MachineName + ":" + nodeA.Id.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>SMS through the HTTP gateway: the duty phone and the persons the alarm names, by role, at their phones on
    /// record; the gateway's token as a bearer token.</summary>
    [Fact]
    public async Task AnSms_GoesToTheDutyPhoneAndTheResponsibleAndLeadLeader_ThroughTheGateway()
    {
        await ForgetEarlierNoticesAsync();
        const string shaft = "YC-CM-004-J1";
        await county.Db.ExecuteAsync("""
            WITH p AS (INSERT INTO person (name, phone) VALUES ('周责任', '13900000004') RETURNING id)
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
            SELECT p.id, 'responsible_person', 'sealed_shaft', s.id, '2026-01-01T00:00:00Z' FROM p, sealed_shaft s WHERE s.code = @shaft
            """, ("shaft", shaft));
        await county.Db.ExecuteAsync("""
            WITH town AS (SELECT m.town_id AS id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @shaft),
                 p AS (INSERT INTO person (name, phone) SELECT '吴镇长', '13900000005'
                       WHERE NOT EXISTS (SELECT 1 FROM assignment a, town WHERE a.object_kind = 'town' AND a.object_id = town.id AND a.role = 'lead_leader')
                       RETURNING id)
            INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from) SELECT p.id, 'lead_leader', 'town', town.id, '2026-01-01T00:00:00Z' FROM p, town
            """, ("shaft", shaft));
        var leaderPhone = await county.Db.ScalarAsync<string>("""
            SELECT pe.phone FROM assignment a JOIN person pe ON pe.id = a.person_id
            WHERE a.object_kind = 'town' AND a.role = 'lead_leader' AND a.valid_to IS NULL
              AND a.object_id = (SELECT m.town_id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @shaft)
            """, ("shaft", shaft));
        await using var peer = await PeerReceiver.StartAsync();
        var settings = new NotificationOptions
        {
            Channels = [new() { Name = "sms", Kind = "sms", Url = $"{peer.Root}/sms/send", Secret = "gateway-token", To = ["12345"], Recipients = ["responsible", "lead_leader"] }],
        };
        await RaiseAsync("seal_finding", "red", shaft, "短信 封条破坏", ended: true);

        Assert.Equal(new DispatchResult(1, 1, 0), await Dispatcher(settings).RunOnceAsync(DateTime.UtcNow));

        var sms = Assert.Single(peer.Requests);
        Assert.Equal("Bearer gateway-token", sms.Headers["Authorization"]);
        var body = JsonDocument.Parse(sms.Body).RootElement;
        Assert.Equal(["12345", "13900000004", leaderPhone], body.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("【红色告警】封闭异常\n短信 封条破坏", body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The duty roster (值班表) put in with <c>geomine duty add</c>: the SMS goes to whoever is on duty for the
    /// alarm's town now, not to the officer of tomorrow's shift; an overlapping shift is refused by name.</summary>
    [Fact]
    public async Task AnSms_ReachesTheOfficerOnDutyNow_FromTheRosterTheCliKeeps()
    {
        await ForgetEarlierNoticesAsync();
        var town = await county.Db.ScalarAsync<string>(
            "SELECT t.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id WHERE s.code = 'YC-CM-005-J1'");
        var env = new Dictionary<string, string> { ["GEOMINE_DB"] = county.Db.ConnectionString };
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var (code, output) = await CliProcess.RunAsync(["duty", "add", "--town", town, "--name", "郑值班", "--phone", "13700000009",
            "--from", Iso(now.AddHours(-1)), "--to", Iso(now.AddHours(1))], environment: env);
        Assert.True(code == 0, output);
        (code, output) = await CliProcess.RunAsync(["duty", "add", "--town", town, "--name", "明天值班", "--phone", "13700000010",
            "--from", Iso(now.AddHours(1)), "--to", Iso(now.AddHours(13))], environment: env);
        Assert.True(code == 0, output);
        var (overlapCode, overlap) = await CliProcess.RunAsync(["duty", "add", "--town", town, "--name", "重叠", "--from", Iso(now), "--to", Iso(now.AddHours(2))], environment: env);
        Assert.Equal(1, overlapCode);
        Assert.Contains("already has an officer on duty", overlap, StringComparison.Ordinal);

        await using var peer = await PeerReceiver.StartAsync();
        var settings = new NotificationOptions
        {
            Channels = [new() { Name = "duty-sms", Kind = "sms", Url = $"{peer.Root}/sms", Recipients = ["duty_officer"] }],
        };
        await RaiseAsync("seal_finding", "red", "YC-CM-005-J1", "值班 封条破坏", ended: true);

        Assert.Equal(new DispatchResult(1, 1, 0), await Dispatcher(settings).RunOnceAsync(DateTime.UtcNow));

        var body = JsonDocument.Parse(Assert.Single(peer.Requests).Body).RootElement;
        Assert.Equal(["13700000009"], body.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("值班：郑值班 13700000009", body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>E-mail to a real SMTP server from Debian (python3-aiosmtpd, writing what it accepts to a Maildir).</summary>
    [Fact]
    public async Task AnEmail_IsAcceptedByARealSmtpServer_WithTheAlarmInSubjectAndBody()
    {
        await ForgetEarlierNoticesAsync();
        var maildir = Path.Combine(TestPaths.NewOutputDirectory("smtp"), "maildir"); // created by the server (tmp, new, cur)
        var port = FreePort.Next();
        using var smtp = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir]) { RedirectStandardError = true })!;
        try
        {
            await WaitForPortAsync(port);
            var settings = new NotificationOptions
            {
                Channels = [new() { Name = "duty-mail", Kind = "email", Url = $"smtp://127.0.0.1:{port}", From = "geomine@county.example", To = ["duty@county.example", "bureau@county.example"] }],
            };
            var id = await RaiseAsync("seal_finding", "red", Shaft, "邮件 封条破坏", ended: true);

            var result = await Dispatcher(settings).RunOnceAsync(DateTime.UtcNow);
            Assert.True(result == new DispatchResult(1, 1, 0),
                $"{result}: {await county.Db.ScalarAsync<string>("SELECT coalesce((SELECT detail FROM notice_attempt WHERE NOT ok ORDER BY id DESC LIMIT 1), '')")}");

            var file = Assert.Single(Directory.GetFiles(Path.Combine(maildir, "new")));
            var mail = await MimeKit.MimeMessage.LoadAsync(file);
            Assert.Equal("【红色告警】封闭异常 邮件 封条破坏", mail.Subject);
            Assert.Equal(["duty@county.example", "bureau@county.example"], mail.To.Mailboxes.Select(m => m.Address));
            Assert.Contains("邮件 封条破坏", mail.TextBody, StringComparison.Ordinal);
            Assert.NotNull(mail.Headers["X-GeoMine-Delivery"]);
            Assert.True(await county.Db.ScalarAsync<bool>(
                "SELECT d.delivered_at IS NOT NULL FROM notice_delivery d JOIN alarm_notice n ON n.id = d.notice_id WHERE n.alarm_id = @id", ("id", id)));
        }
        finally
        {
            smtp.Kill();
            await smtp.WaitForExitAsync();
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"nothing listens on port {port} after 10 s");
    }
}
