using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Health;

/// <summary>The OpenAPI document describes the REST actions, readable without signing in, and passes an independent linter.</summary>
public sealed class OpenApiTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task OpenApiDocument_ListsTheActionEndpoints()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/session", paths);
        Assert.Contains("/api/patrol-records", paths);
        Assert.Contains("/api/tailings/{code}", paths);
        Assert.True(document.GetProperty("paths").GetProperty("/api/tailings/{code}").TryGetProperty("patch", out _));
    }

    /// <summary>Typed contracts: a step of the alarm loop documents its body (with the version member) and its answer.</summary>
    [Fact]
    public async Task OpenApiDocument_DescribesRequestAndResponseBodies()
    {
        var document = await DocumentAsync();
        var close = document.GetProperty("paths").GetProperty("/api/alarms/{id}/close").GetProperty("post");
        var body = Resolve(document, close.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(body.GetProperty("properties").TryGetProperty("version", out _), body.ToString());
        Assert.True(body.GetProperty("properties").TryGetProperty("outcome", out _), body.ToString());
        var answer = Resolve(document, close.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(answer.GetProperty("properties").TryGetProperty("events", out _), answer.ToString());
        Assert.True(close.GetProperty("responses").TryGetProperty("409", out _));
        var sessionPost = document.GetProperty("paths").GetProperty("/api/session").GetProperty("post");
        Assert.Equal(0, sessionPost.GetProperty("security").GetArrayLength()); // signing in needs no sign-in
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer_token", out _));
    }

    /// <summary>Every JSON answer has a schema (GeoJSON excepted), with the members clients read (the coverage summary's,
    /// a pond's, with the digit names as the answers spell them), and every query parameter is there by its wire name.</summary>
    [Fact]
    public async Task OpenApiDocument_EveryJsonAnswerHasASchema_EveryQueryParameterItsWireName()
    {
        var document = await DocumentAsync();
        // Answers that are not JSON records: an empty 204, the feeds' empty 200 (what Traccar Client and OsmAnd expect), photo
        // bytes, GeoJSON, vector tiles and packed shaft points.
        string[] notRecords =
        [
            "delete /api/session", "get /", "post /", "get /api/osmand", "post /api/osmand", "get /api/patrol-records/{id}/photos/{photoId}",
            "get /api/patrol/coverage.geojson", "get /ogc/collections/{id}/items", "get /ogc/collections/{id}/items/{fid}",
            "get /tiles/{layer}/{z}/{x}/{y}.mvt", "get /tiles/all/{z}/{x}/{y}.mvt", "get /tiles/shafts/{z}/{x}/{y}.bin",
        ];
        var withoutSchema = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => !notRecords.Contains($"{o.Name} {path.Name}")))
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                {
                    if (!response.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any()
                        || content.EnumerateObject().Any(c => !c.Value.TryGetProperty("schema", out _)))
                    {
                        withoutSchema.Add($"{operation.Name} {path.Name} {response.Name}");
                    }
                }
            }
        }

        Assert.Empty(withoutSchema);
        JsonElement Answer(string path, string method = "get") => Resolve(document, document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var summary = Resolve(document, Answer("/api/patrol/coverage").GetProperty("properties").GetProperty("summary"));
        Assert.True(summary.GetProperty("properties").TryGetProperty("never_visited", out _), summary.ToString());
        Assert.True(summary.GetProperty("properties").TryGetProperty("cells_km2", out _), summary.ToString());
        var pond = Answer("/api/tailings/{code}");
        Assert.True(pond.GetProperty("properties").TryGetProperty("downstream_facilities", out _), pond.ToString());
        Assert.True(pond.GetProperty("properties").TryGetProperty("total_storage_10k_m3", out _), pond.ToString());

        string[] Parameters(string path, string method = "get") => [.. document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("parameters").EnumerateArray().Select(p => p.TryGetProperty("name", out var n) ? n.GetString()! : p.GetProperty("$ref").GetString()!)];
        Assert.Subset(Parameters("/api/patrol/coverage").ToHashSet(), new HashSet<string> { "from", "to", "town", "person", "mine", "area" });
        Assert.Subset(Parameters("/").ToHashSet(), new HashSet<string> { "hdop", "speed_unit", "alarm", "accuracy", "batt" });
        Assert.Subset(Parameters("/ogc/collections/{id}/items").ToHashSet(), new HashSet<string> { "cursor", "bbox-crs", "datetime", "properties" });
    }

    /// <summary>Redocly CLI (npm, tests/openapi-lint, installed by ./geomine test) with its recommended rules finds no error.</summary>
    [Fact]
    public async Task OpenApiDocument_LintsWithoutErrors()
    {
        var tool = Path.Combine(TestPaths.Root, "tests", "openapi-lint");
        var cli = Path.Combine(tool, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: ./geomine test installs it (npm ci in tests/openapi-lint)");
        var output = TestPaths.NewOutputDirectory("openapi");
        var file = Path.Combine(output, "openapi.json");
        await File.WriteAllTextAsync(file, (await DocumentAsync()).GetRawText());

        var start = new ProcessStartInfo("node", [cli, "lint", file, "--config", Path.Combine(tool, "redocly.yaml"), "--format", "json", "--max-problems", "1000"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = tool,
        };
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var lint = Process.Start(start)!;
        var stdout = lint.StandardOutput.ReadToEndAsync();
        var stderr = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.Combine(output, "lint.json"), await stdout);
        var report = JsonDocument.Parse(await stdout).RootElement;
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => (Severity: p.GetProperty("severity").GetString(), Rule: p.GetProperty("ruleId").GetString(),
                Where: p.GetProperty("location")[0].GetProperty("pointer").GetString(), Message: p.GetProperty("message").GetString()))
            .ToList();
        var errors = problems.Where(p => p.Severity == "error").ToList();
        Assert.True(errors.Count == 0,
            $"{errors.Count} lint errors (report: {output}/lint.json):\n" + string.Join("\n", errors.Take(30).Select(e => $"{e.Rule} {e.Where}: {e.Message}")) + await stderr);
        Assert.True(report.GetProperty("totals").GetProperty("errors").GetInt32() == 0);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        await using var app = new GeoMineApplication(db);
        var response = await app.CreateAnonymousClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
