using System.Net;
using System.Text.Json;
using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Health;

public sealed class HealthApiTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task GetHealth_WithMigratedDatabase_AnswersJsonWithPostgisVersionAndLayerCounts()
    {
        await using var app = new GeoMineApplication(db);
        var client = app.CreateClient();
        var expectedPostgis = await db.ScalarAsync<string>("SELECT postgis_lib_version()");

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(expectedPostgis, json.RootElement.GetProperty("postgis").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("layers").GetProperty("sealed_shafts").GetInt64());
        Assert.EndsWith("(UTC+8)", json.RootElement.GetProperty("time_china").GetString());
    }
}
