using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GeoMine.Patrol.Devices;
using GeoMine.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Xunit.Abstractions;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>
/// A generated matrix of bad values (NUL, control characters, overlong text, extreme numbers, extreme dates, wrong JSON types)
/// put into every field of every endpoint family, plus malformed bodies (truncated, trailing garbage, multipart without
/// boundary, too many fields). Whatever the request, the answer is never a 5xx and never a stack trace, and nothing is stored.
/// </summary>
public sealed class BadInputMatrixTests(SampleCountyFixture county, ITestOutputHelper output) : IClassFixture<SampleCountyFixture>
{
    private const string Device = "matrix-phone";

    /// <summary>The bad values, as text a client could send.</summary>
    private static readonly string[] BadTexts =
    [
        "a\0b", "\0", "x\u0001y", "line\u001bescape", new string('x', 8000), new string('宽', 5000),
        "1e309", "-1e309", "NaN", "Infinity", "99999999999999999999999",
        "0001-01-01T00:00:00", "9999-12-31T23:59:59", "0000-00-00", "-62135596800", "253402300800000", "2026-13-45T25:61",
        "[]", "{}", "true", "'; DROP TABLE position; --", "%00",
    ];

    /// <summary>The values no free-text field (a name, remarks) may take: NUL, control characters, overlong text.</summary>
    private static readonly string[] BadForAnyText = BadTexts.Where(t => t.Length > 4000 || t.Any(char.IsControl)).ToArray();

    /// <summary>Fields whose bad values are only those of <see cref="BadForAnyText"/>: any other text is a valid name or remark.</summary>
    private static readonly HashSet<string> FreeTextFields = ["person", "remarks", "name", "inspector", "feedback"];

    /// <summary>The same values as JSON: each text as a string, plus values of the wrong JSON type (not null: an optional member
    /// may be null).</summary>
    private static IEnumerable<string> BadJsonValues(bool freeText) => freeText
        ? BadForAnyText.Select(t => JsonSerializer.Serialize(t))
        : BadTexts.Select(t => JsonSerializer.Serialize(t)).Concat(["[]", "{}", "true", "1e308", "-1e308", "123456789012345678901234567890", "\"\""]);

    private static readonly string[] QueryTemplates =
    [
        "/api/alarms?state={0}", "/api/alarms?kind={0}", "/api/alarms?town={0}", "/api/alarms?limit={0}", "/api/alarms?offset={0}",
        "/api/patrol-records?shaft={0}", "/api/patrol-records?from={0}", "/api/patrol-records?limit={0}",
        "/api/search?q={0}", "/api/patrol/coverage?from={0}&to=2026-11-02", "/api/patrol/coverage?from=2026-11-01&to={0}",
        "/api/patrol/coverage?from=2026-11-01&to=2026-11-02&town={0}", "/api/patrol/coverage.geojson?from=2026-11-01&to=2026-11-02&person={0}",
        "/ogc/collections/shafts/items?bbox={0}", "/ogc/collections/shafts/items?limit={0}", "/ogc/collections/shafts/items?offset={0}",
        "/ogc/collections/shafts/items?bbox-crs={0}", "/ogc/collections/shafts/items?crs={0}", "/ogc/collections/{0}/items",
        "/ogc/collections/shafts/items/{0}", "/api/shafts/{0}", "/api/shafts/{0}/status", "/api/tailings?town={0}", "/api/tailings/{0}",
        "/api/assignments?code={0}", "/api/assignments?object_kind={0}&code=YC-CM-001-J1", "/api/assignments?code=YC-CM-001-J1&at={0}",
        "/api/monitoring/points?pond={0}", "/tiles/{0}.json", "/tiles/shafts/{0}/0/0.mvt", "/tiles/shafts/9/{0}/1.bin",
        "/api/osmand?id={0}&lat=29.5&lon=105.9", "/api/osmand?id=" + Device + "&lat={0}&lon=105.9",
        "/api/osmand?id=" + Device + "&lat=29.5&lon=105.9&timestamp={0}", "/api/osmand?id=" + Device + "&lat=29.5&lon=105.9&batt={0}",
        "/api/osmand?id=" + Device + "&lat=29.5&lon=105.9&speed={0}",
        "/api/mining-rights/expiring?days={0}", "/api/patrol/coverage?from=2026-11-01&to=2026-11-02&area={0}",
        "/api/duty?days={0}", "/api/search?q={0}&limit=5", "/api/registry/shafts/{0}/changes",
    ];

    private static readonly string[] JsonTemplates =
    [
        "/api/positions [{{\"device_id\": {0}, \"time\": \"2026-12-01T08:00:00Z\", \"lon\": 105.9, \"lat\": 29.5}}]",
        "/api/positions [{{\"device_id\": \"" + Device + "\", \"time\": {0}, \"lon\": 105.9, \"lat\": 29.5}}]",
        "/api/positions [{{\"device_id\": \"" + Device + "\", \"time\": \"2026-12-01T08:00:00Z\", \"lon\": {0}, \"lat\": 29.5}}]",
        "/api/positions [{{\"device_id\": \"" + Device + "\", \"time\": \"2026-12-01T08:00:00Z\", \"lon\": 105.9, \"lat\": 29.5, \"accuracy_m\": {0}}}]",
        "/api/osmand {{\"device_id\": {0}, \"location\": {{\"timestamp\": \"2026-12-01T08:00:00Z\", \"coords\": {{\"latitude\": 29.5, \"longitude\": 105.9}}}}}}",
        "/api/osmand {{\"device_id\": \"" + Device + "\", \"location\": {{\"timestamp\": {0}, \"coords\": {{\"latitude\": 29.5, \"longitude\": 105.9}}}}}}",
        "/api/alarms/1/ack {{\"version\": {0}}}",
        "/api/alarms/1/close {{\"version\": 1, \"outcome\": {0}, \"feedback\": \"x\"}}",
        "/api/assignments {{\"object_kind\": \"sealed_shaft\", \"code\": {0}, \"role\": \"responsible_person\", \"name\": \"矩阵\", \"from\": \"2026-11-01T08:00\"}}",
        "/api/assignments {{\"object_kind\": \"sealed_shaft\", \"code\": \"YC-CM-001-J1\", \"role\": \"responsible_person\", \"name\": {0}, \"from\": \"2026-11-01T08:00\"}}",
        "/api/assignments {{\"object_kind\": \"sealed_shaft\", \"code\": \"YC-CM-001-J1\", \"role\": \"responsible_person\", \"name\": \"矩阵\", \"from\": {0}}}",
        "/api/assignments/handover {{\"object_kind\": \"sealed_shaft\", \"code\": \"YC-CM-001-J1\", \"role\": {0}, \"name\": \"矩阵\", \"at\": \"2026-11-20T09:00\"}}",
        "/api/tailings/YC-TP-04/surveys {{\"surveyed_on\": {0}, \"crest_m\": 421.6, \"source\": \"x\"}}",
        "/api/tailings/YC-TP-04/surveys {{\"surveyed_on\": \"2026-09-01\", \"crest_m\": {0}, \"source\": \"x\"}}",
        "/api/tailings/YC-TP-04/inspections {{\"kind\": \"pre_flood\", \"done_on\": \"2026-05-20\", \"inspector\": {0}, \"findings\": \"x\"}}",
        "/api/monitoring {{\"readings\": [{{\"pond\": {0}, \"point\": \"WL-1\", \"item\": \"water_level\", \"measured_at\": \"2026-05-20T08:00:00+08:00\", \"value\": 312.4, \"unit\": \"m\"}}]}}",
        "/api/monitoring {{\"readings\": [{{\"pond\": \"YC-TP-01\", \"point\": \"WL-1\", \"item\": \"water_level\", \"measured_at\": {0}, \"value\": 312.4, \"unit\": \"m\"}}]}}",
        "/api/monitoring {{\"readings\": [{{\"pond\": \"YC-TP-01\", \"point\": \"WL-1\", \"item\": \"water_level\", \"measured_at\": \"2026-05-20T08:00:00+08:00\", \"value\": {0}, \"unit\": \"m\"}}]}}",
        "/api/duty {{\"town\": {0}, \"name\": \"矩阵\", \"from\": \"2026-12-20T08:00\", \"to\": \"2026-12-20T20:00\"}}",
        "/api/duty {{\"town\": \"宝峰镇\", \"name\": {0}, \"from\": \"2026-12-21T08:00\", \"to\": \"2026-12-21T20:00\"}}",
        "/api/duty {{\"town\": \"宝峰镇\", \"name\": \"矩阵\", \"from\": {0}, \"to\": \"2026-12-22T20:00\"}}",
        "PATCH /api/registry/shafts/YC-CM-001-J1 {{\"status\": {0}, \"reason\": \"矩阵\"}}",
        "PATCH /api/registry/closed-mines/YC-CM-001 {{\"name\": {0}, \"reason\": \"矩阵\"}}",
    ];

    private static readonly string[] RecordFields = ["shaft", "person", "kind", "time", "lat", "lon", "accuracy", "seal", "remarks", "device"];

    /// <summary>Rows of the tables a bad request could write into. Not counted: <c>device</c> and the positions of other devices
    /// (a well-formed unknown id such as <c>[]</c> or <c>true</c> is kept as unknown-device activity by design,
    /// Positions:UnknownDevices = keep).</summary>
    private Task<string> StoredAsync() => county.Db.ScalarAsync<string>("""
        SELECT concat_ws(' ',
            (SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'matrix-phone'),
            (SELECT count(*) FROM patrol_record), (SELECT count(*) FROM patrol_visit),
            (SELECT count(*) FROM alarm), (SELECT count(*) FROM alarm_event), (SELECT count(*) FROM assignment), (SELECT count(*) FROM person),
            (SELECT count(*) FROM tailings_crest_survey), (SELECT count(*) FROM tailings_inspection), (SELECT count(*) FROM monitoring_reading),
            (SELECT count(*) FROM duty_shift), (SELECT count(*) FROM registry_change))
        """);

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string? Problem(string what, HttpStatusCode status, string body) =>
        (int)status >= 500 ? $"{what} → {(int)status}: {Short(body)}"
        : body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal)
            || body.Contains("Npgsql", StringComparison.Ordinal) ? $"{what} → {(int)status} with internals: {Short(body)}"
        : null;

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Printable(string value) =>
        value.Length > 40 ? $"<{value.Length} chars: {Printable(value[..12])}…>" : string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    [Fact]
    public async Task EveryEndpointFamily_WithEveryBadValue_NeverAnswers5xxOrAStackTrace_AndStoresNothing()
    {
        await using (var source = GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString))
        {
            await new DeviceRegistry(source, TimeProvider.System).AddAsync(Device, "patrol_phone", ownerName: "矩阵");
        }

        // Without the scheduler: its jobs (overdue patrols) raise alarms on the sample county on their own.
        await using var app = new GeoMineApplication(county.Db).WithWebHostBuilder(b => b.UseSetting("Scheduler:Enabled", "false"));
        var admin = app.CreateClient();
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Remove("X-Api-Token");
        var before = await StoredAsync();
        var problems = new List<string>();
        var sent = 0;

        foreach (var template in QueryTemplates)
        {
            // A NUL in the path never reaches the app: Kestrel refuses it with 400 (and the in-memory test host cannot send it).
            var inPath = template.IndexOf("{0}", StringComparison.Ordinal) < (template.IndexOf('?') is var q and >= 0 ? q : int.MaxValue);
            foreach (var value in BadTexts.Where(v => !inPath || !v.Contains('\0')))
            {
                var url = string.Format(CultureInfo.InvariantCulture, template, Uri.EscapeDataString(value));
                foreach (var client in template.StartsWith("/api/osmand", StringComparison.Ordinal) ? [anonymous] : new[] { admin })
                {
                    var (status, body) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, url));
                    sent++;
                    if (Problem($"GET {template} with {Printable(value)}", status, body) is { } p)
                    {
                        problems.Add(p);
                    }
                }
            }
        }

        foreach (var template in JsonTemplates)
        {
            var method = template.StartsWith("PATCH ", StringComparison.Ordinal) ? HttpMethod.Patch : HttpMethod.Post;
            var rest = method == HttpMethod.Patch ? template["PATCH ".Length..] : template;
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var (path, bodyTemplate) = (rest[..space], rest[(space + 1)..]);
            var freeText = FreeTextFields.Any(f => bodyTemplate.Contains($"\"{f}\": {{0}}", StringComparison.Ordinal));
            foreach (var value in BadJsonValues(freeText))
            {
                var json = string.Format(CultureInfo.InvariantCulture, bodyTemplate, value);
                var client = path.StartsWith("/api/osmand", StringComparison.Ordinal) || path == "/api/positions" ? anonymous : admin;
                var (status, body) = await SendAsync(client, new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
                sent++;
                if (Problem($"{method} {path} {Printable(json)}", status, body) is { } p)
                {
                    problems.Add(p);
                }
            }
        }

        foreach (var field in RecordFields)
        {
            foreach (var value in FreeTextFields.Contains(field) ? BadForAnyText : BadTexts)
            {
                var form = new MultipartFormDataContent();
                foreach (var (name, good) in new[] { ("shaft", "YC-CM-001-J1"), ("person", "矩阵"), ("kind", "on_site"), ("time", "2026-12-07T08:00:00+08:00"),
                             ("lat", "29.5"), ("lon", "105.9"), ("accuracy", "5"), ("seal", "opened"), ("remarks", "x") })
                {
                    form.Add(new StringContent(name == field ? value : good), name);
                }

                if (field == "device")
                {
                    form.Add(new StringContent(value), "device");
                }

                var (status, body) = await SendAsync(admin, new HttpRequestMessage(HttpMethod.Post, "/api/patrol-records") { Content = form });
                sent++;
                if (Problem($"POST /api/patrol-records {field}={Printable(value)}", status, body) is { } p)
                {
                    problems.Add(p);
                }

                // Whatever the value, a bad one must not slip through as a stored record.
                if (status == HttpStatusCode.Created)
                {
                    problems.Add($"POST /api/patrol-records {field}={Printable(value)} was stored (201)");
                }
            }
        }

        foreach (var (what, request) in MalformedBodies())
        {
            var (status, body) = await SendAsync(what.Contains("anonymous", StringComparison.Ordinal) ? anonymous : admin, request);
            sent++;
            if (Problem(what, status, body) is { } p)
            {
                problems.Add(p);
            }
        }

        output.WriteLine($"{sent} bad requests sent, {problems.Count} problems");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
        Assert.True(before == await StoredAsync(), $"stored (counts {before} → {await StoredAsync()}): {await county.Db.ScalarAsync<string>(
            "SELECT coalesce(string_agg(concat_ws(',', p.fix_time, ST_AsText(p.geom), p.accuracy_m, p.speed_mps, p.battery_pct, p.altitude_m, p.source), '; '), '') FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key = 'matrix-phone'")}");
    }

    [Theory]
    [InlineData("""{"readings": [{"pond": "YC-TP-01", "point": "WL-1"}, {"pond": "YC-TP-01", "point": "WL\u0000-2"}]}""", "readings[1].point: contains the control character U+0000")]
    [InlineData("""{"object_kind": "sealed_shaft", "code": "YC-CM-001-J1", "name": "a\u0007b"}""", "name: contains the control character U+0007")]
    public async Task JsonTextWithAControlCharacter_400NamesItsPath(string json, string expected)
    {
        await using var app = new GeoMineApplication(county.Db);
        var path = json.Contains("readings", StringComparison.Ordinal) ? "/api/monitoring" : "/api/assignments";

        var response = await app.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<(string What, HttpRequestMessage Request)> MalformedBodies()
    {
        HttpRequestMessage Raw(string path, string contentType, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        }

        var good = "--b\r\nContent-Disposition: form-data; name=\"shaft\"\r\n\r\nYC-CM-001-J1\r\n--b--\r\n"u8.ToArray();
        yield return ("multipart without boundary", Raw("/api/patrol-records", "multipart/form-data", good));
        yield return ("truncated multipart", Raw("/api/patrol-records", "multipart/form-data; boundary=b", good[..30]));
        yield return ("multipart with a NUL in a field name",
            Raw("/api/patrol-records", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"sh\0aft\"\r\n\r\nx\r\n--b--\r\n"u8.ToArray()));
        var many = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            many.Append(CultureInfo.InvariantCulture, $"--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n");
        }

        many.Append("--b--\r\n");
        yield return ("multipart with 2 000 fields", Raw("/api/patrol-records", "multipart/form-data; boundary=b", Encoding.UTF8.GetBytes(many.ToString())));
        yield return ("urlencoded form with 2 000 fields (anonymous)",
            Raw("/api/osmand", "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(string.Join('&', Enumerable.Range(0, 2000).Select(i => $"f{i}=v")))));
        yield return ("positions: trailing garbage (anonymous)", Raw("/api/positions", "application/json", "[]x"u8.ToArray()));
        yield return ("positions: truncated array (anonymous)", Raw("/api/positions", "application/json", "[{\"device_id\": \"matrix-phone\", \"lon\": 1"u8.ToArray()));
        yield return ("positions: not JSON (anonymous)", Raw("/api/positions", "application/json", "\0\0\0"u8.ToArray()));
        yield return ("osmand: truncated JSON (anonymous)", Raw("/api/osmand", "application/json", "{\"device_id\": "u8.ToArray()));
        yield return ("alarms: truncated JSON", Raw("/api/alarms/1/ack", "application/json", "{\"version\""u8.ToArray()));
        yield return ("assignments: not JSON", Raw("/api/assignments", "application/json", "\u0001"u8.ToArray()));
        yield return ("monitoring: trailing garbage", Raw("/api/monitoring", "application/json", "{\"readings\": []}x"u8.ToArray()));
        yield return ("session: not JSON (anonymous)", Raw("/api/session", "application/json", "{\"name\": \"a\0\", \"password\""u8.ToArray()));
    }
}
