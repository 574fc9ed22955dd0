using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using GeoMine.TestSupport;
using GeoMine.Viewer.Access;
using Microsoft.AspNetCore.Hosting;
using Xunit.Abstractions;

namespace GeoMine.Viewer.Tests.Access;

/// <summary>
/// Who may read and change what: six callers (anonymous, the coordinator of town A, the coordinator of town B, the county
/// bureau, the tailings reviewer, the administrator) × every endpoint family, read and write, each on a feature of town A.
/// The expected status of every cell is written out below; a coordinator of another town meets 404 (as if the feature did
/// not exist) or 403 for a named town, never 200. Which feature lies in which town comes from PostGIS.
/// </summary>
public sealed class PermissionMatrixTests(SampleCountyFixture county, ITestOutputHelper output) : IClassFixture<SampleCountyFixture>
{
    private const string Anonymous = "anonymous";
    private const string CoordinatorA = "coordinator A";
    private const string CoordinatorB = "coordinator B";
    private const string Bureau = "bureau";
    private const string Reviewer = "reviewer";
    private const string Admin = "administrator";
    private static readonly string[] Callers = [Anonymous, CoordinatorA, CoordinatorB, Bureau, Reviewer, Admin];

    /// <summary>One endpoint family's request and the status each caller must get (in <see cref="Callers"/> order).</summary>
    private sealed record Cell(string What, Func<string, int, HttpRequestMessage> Request, int[] Expected);

    [Fact]
    public async Task EveryCallerGetsExactlyTheExpectedStatus_ForEveryEndpointFamily()
    {
        // Town A: a town with sealed shafts and a tailings pond; town B: any other town.
        var townA = await county.Db.ScalarAsync<string>("""
            SELECT t.code FROM jurisdiction t
            WHERE t.level = 'town' AND EXISTS (SELECT 1 FROM tailings_pond p WHERE p.town_id = t.id)
              AND EXISTS (SELECT 1 FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE m.town_id = t.id)
            ORDER BY t.code LIMIT 1
            """);
        var townB = await county.Db.ScalarAsync<string>("SELECT code FROM jurisdiction WHERE level = 'town' AND code <> @a ORDER BY code LIMIT 1", ("a", townA));
        var shafts = await county.Db.ScalarAsync<string[]>("""
            SELECT array_agg(s.code ORDER BY s.code) FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id JOIN jurisdiction t ON t.id = m.town_id
            WHERE t.code = @a
            """, ("a", townA));
        var mineA = await county.Db.ScalarAsync<string>(
            "SELECT m.code FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @s", ("s", shafts[0]));
        var pondA = await county.Db.ScalarAsync<string>(
            "SELECT p.code FROM tailings_pond p JOIN jurisdiction t ON t.id = p.town_id WHERE t.code = @a ORDER BY p.code LIMIT 1", ("a", townA));
        var alarms = new long[Callers.Length];
        for (var i = 0; i < Callers.Length; i++)
        {
            alarms[i] = await county.Db.ScalarAsync<long>("""
                INSERT INTO alarm (kind, severity, object_kind, object_id, town_id, title, started_at, last_seen_at, evidence)
                SELECT 'matrix_test_' || @i, 'orange', 'sealed_shaft', s.id, m.town_id, 'permission matrix', now(), now(), '{}'::jsonb
                FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = @s RETURNING id
                """, ("s", shafts[0]), ("i", i.ToString(CultureInfo.InvariantCulture)));
        }

        await county.Db.ScalarAsync<int>("""
            INSERT INTO monitoring_point (pond_id, code, item, unit) SELECT id, 'WL-M', 'water_level', 'm' FROM tailings_pond WHERE code = @p RETURNING 1
            """, ("p", pondA));
        var recordA = await county.Db.ScalarAsync<long>("""
            INSERT INTO patrol_record (shaft_id, person_name, kind, recorded_at, at_site, seal_condition, filed_by)
            SELECT id, '矩阵', 'online', now(), false, 'intact', 'test' FROM sealed_shaft WHERE code = @s RETURNING id
            """, ("s", shafts[0]));
        var tile = TileOf(await county.Db.ScalarAsync<double>("SELECT ST_X(geom) FROM sealed_shaft WHERE code = @s", ("s", shafts[0])),
            await county.Db.ScalarAsync<double>("SELECT ST_Y(geom) FROM sealed_shaft WHERE code = @s", ("s", shafts[0])), 18);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var now = DateTime.UtcNow.AddHours(8).AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);
        static HttpRequestMessage Post(string url, string json) =>
            new(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        static HttpRequestMessage Record(string shaft) => new(HttpMethod.Post, "/api/patrol-records")
        {
            Content = new MultipartFormDataContent
            {
                { new StringContent(shaft), "shaft" }, { new StringContent("矩阵"), "person" }, { new StringContent("online"), "kind" },
                { new StringContent("intact"), "seal" },
            },
        };

        //                                                     anon coordA coordB bureau reviewer admin
        Cell[] cells =
        [
            new("OGC item (read)", (_, _) => Get($"/ogc/collections/shafts/items/{shafts[0]}"), [401, 200, 404, 200, 200, 200]),
            new("OGC collection (read)", (_, _) => Get("/ogc/collections/shafts/items?limit=1"), [401, 200, 200, 200, 200, 200]),
            new("vector tile with only town A's shaft (read)", (_, _) => Get($"/tiles/shafts/{tile.Z}/{tile.X}/{tile.Y}.mvt"), [401, 200, 204, 200, 200, 200]),
            new("all-layers tile at town A's shaft (read)", (_, _) => Get($"/tiles/all/{tile.Z}/{tile.X}/{tile.Y}.mvt"), [401, 200, 204, 200, 200, 200]),
            new("shaft details (read)", (_, _) => Get($"/api/shafts/{shafts[0]}"), [401, 200, 404, 200, 200, 200]),
            new("shaft patrol status (read)", (_, _) => Get($"/api/shafts/{shafts[0]}/status"), [401, 200, 404, 200, 200, 200]),
            new("search (read)", (_, _) => Get($"/api/search?q={shafts[0]}"), [401, 200, 200, 200, 200, 200]),
            new("alarm kinds (read)", (_, _) => Get("/api/alarms/kinds"), [401, 200, 200, 200, 200, 200]),
            new("map layers (read)", (_, _) => Get("/api/layers"), [401, 200, 200, 200, 200, 200]),
            new("expiring licences (read, scoped)", (_, _) => Get("/api/mining-rights/expiring"), [401, 200, 200, 200, 200, 200]),
            new("alarm (read)", (_, _) => Get($"/api/alarms/{alarms[0]}"), [401, 200, 404, 200, 200, 200]),
            new("alarm stream (read; each sees its towns' changes)", (_, _) => Get("/api/alarms/stream"), [401, 200, 200, 200, 200, 200]),
            new("alarm acknowledge (write)", (_, i) => Post($"/api/alarms/{alarms[i]}/ack", """{"version": 1}"""), [401, 200, 404, 200, 200, 200]),
            new("assignments (read)", (_, _) => Get($"/api/assignments?code={shafts[0]}"), [401, 200, 404, 200, 200, 200]),
            new("assignment (write)", (_, i) => Post("/api/assignments",
                $$"""{"object_kind": "sealed_shaft", "code": "{{shafts[0]}}", "role": "{{RoleFor(i)}}", "name": "矩阵{{i}}", "from": "{{now}}"}"""),
                [401, 201, 404, 201, 201, 201]),
            new("patrol record (read)", (_, _) => Get($"/api/patrol-records/{recordA}"), [401, 200, 404, 200, 200, 200]),
            new("patrol records list (read; another town's are left out)", (_, _) => Get($"/api/patrol-records?shaft={shafts[0]}"), [401, 200, 200, 200, 200, 200]),
            new("patrol record (write)", (_, _) => Record(shafts[0]), [401, 201, 404, 201, 201, 201]),
            new("coverage of town A (read)", (_, _) => Get($"/api/patrol/coverage?from={today}T00:00&to={today}T23:59&town={townA}"), [401, 200, 403, 200, 200, 200]),
            new("tailings pond (read)", (_, _) => Get($"/api/tailings/{pondA}"), [401, 200, 404, 200, 200, 200]),
            new("tailings inspection (write)", (_, i) => Post($"/api/tailings/{pondA}/inspections",
                $$"""{"kind": "spot_check", "done_on": "{{today}}", "inspector": "矩阵{{i}}", "findings": "ok"}"""), [401, 201, 404, 201, 201, 201]),
            new("tailings class override (write)", (_, _) => Post($"/api/tailings/{pondA}/class-override", """{"class": null, "reason": "权限矩阵测试"}"""), [401, 403, 403, 403, 200, 200]),
            new("monitoring points (read)", (_, _) => Get($"/api/monitoring/points?pond={pondA}"), [401, 200, 404, 200, 200, 200]),
            new("monitoring readings (write)", (_, i) => Post("/api/monitoring",
                $$"""{"readings": [{"pond": "{{pondA}}", "point": "WL-M", "item": "water_level", "measured_at": "{{DateTime.UtcNow.AddHours(8).AddMinutes(-10 - i).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)}}", "value": 312.4, "unit": "m"}]}"""),
                [401, 403, 403, 200, 200, 200]),
            new("position feed (devices prove themselves with their own tokens, not a user's)", (_, i) =>
                Get($"/api/osmand?id=matrix-feed-{i}&lat=29.35&lon=105.9"), [200, 200, 200, 200, 200, 200]),
            new("own session (read)", (_, _) => Get("/api/session"), [401, 200, 200, 200, 200, 200]),
            new("code lists (read)", (_, _) => Get("/api/codes"), [401, 200, 200, 200, 200, 200]),
            new("search keywords (read)", (_, _) => Get("/api/search/keywords"), [401, 200, 200, 200, 200, 200]),
            new("viewer config with the start view (read)", (_, _) => Get("/api/viewer/config"), [401, 200, 200, 200, 200, 200]),
            new("registry layers (read)", (_, _) => Get("/api/registry"), [401, 200, 200, 200, 200, 200]),
            new("registry changes of a shaft (read)", (_, _) => Get($"/api/registry/shafts/{shafts[0]}/changes"), [401, 200, 404, 200, 200, 200]),
            new("registry change of a shaft (write)", (_, i) => new HttpRequestMessage(HttpMethod.Patch, $"/api/registry/shafts/{shafts[0]}")
            {
                Content = new StringContent($$"""{"seal_meth": "矩阵{{i}}", "reason": "权限矩阵"}""", Encoding.UTF8, "application/json"),
            }, [401, 200, 404, 200, 200, 200]),
            new("duty roster (read; another town's shifts are left out)", (_, _) => Get("/api/duty"), [401, 200, 200, 200, 200, 200]),
            new("duty shift for town A (write)", (_, i) => Post("/api/duty",
                $$"""{"town": "{{townA}}", "name": "值班{{i}}", "from": "{{ShiftDay(i)}}T08:00", "to": "{{ShiftDay(i)}}T12:00"}"""), [401, 201, 403, 201, 201, 201]),
            new("OpenAPI document (read: no secret)", (_, _) => Get("/openapi/v1.json"), [200, 200, 200, 200, 200, 200]),
        ];

        await using var app = new GeoMineApplication(county.Db).WithWebHostBuilder(b => b.UseSetting("Scheduler:Enabled", "false"));
        var clients = new Dictionary<string, HttpClient>();
        foreach (var (caller, role, towns) in new[]
                 {
                     (CoordinatorA, Roles.TownCoordinator, new[] { townA }), (CoordinatorB, Roles.TownCoordinator, [townB]),
                     (Bureau, Roles.CountyBureau, []), (Reviewer, Roles.TailingsReviewer, []), (Admin, Roles.Administrator, []),
                 })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Remove("X-Api-Token");
            client.DefaultRequestHeaders.Add("X-Api-Token", await TestUsers.TokenAsync(county.Db, $"matrix-{caller.Replace(' ', '-')}", role, towns));
            clients[caller] = client;
        }

        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Remove("X-Api-Token");
        clients[Anonymous] = anonymous;

        var wrong = new List<string>();
        foreach (var cell in cells)
        {
            for (var i = 0; i < Callers.Length; i++)
            {
                // Headers are enough for the status, and the alarm stream never ends: its body is read only when a cell is wrong.
                using var response = await clients[Callers[i]].SendAsync(cell.Request(Callers[i], i), HttpCompletionOption.ResponseHeadersRead);
                var line = $"{cell.What} as {Callers[i]}: {(int)response.StatusCode}";
                output.WriteLine(line);
                if ((int)response.StatusCode != cell.Expected[i])
                {
                    wrong.Add($"{line}, expected {cell.Expected[i]}: {Short(await response.Content.ReadAsStringAsync())}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>A different role per caller, so that each assignment that is allowed is also free (one holder per role).</summary>
    private static string RoleFor(int caller) =>
        ((string[])["patrol_member", "village_cadre", "patrol_member", "government_leader", "regulator", "enterprise_principal"])[caller];

    /// <summary>A day of its own for each caller's shift (shifts of one town must not overlap).</summary>
    private static string ShiftDay(int caller) => DateTime.UtcNow.AddHours(8).AddDays(10 + caller).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Short(string text) => text.Length > 200 ? text[..200] + "…" : text;

    /// <summary>The XYZ tile of a point (the usual Web Mercator formula).</summary>
    private static (int Z, int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var rad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(rad) + (1 / Math.Cos(rad))) / Math.PI)) / 2 * n);
        return (z, x, y);
    }
}
