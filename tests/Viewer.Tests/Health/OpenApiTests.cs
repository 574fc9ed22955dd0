using System.Net;
using System.Text.Json;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Health;

/// <summary>The OpenAPI document describes the REST actions, readable without signing in.</summary>
public sealed class OpenApiTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task OpenApiDocument_ListsTheActionEndpoints()
    {
        await using var app = new GeoMineApplication(db);
        var response = await app.CreateAnonymousClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/session", paths);
        Assert.Contains("/api/patrol-records", paths);
        Assert.Contains("/api/tailings/{code}", paths);
        Assert.True(document.GetProperty("paths").GetProperty("/api/tailings/{code}").TryGetProperty("patch", out _));
    }
}
