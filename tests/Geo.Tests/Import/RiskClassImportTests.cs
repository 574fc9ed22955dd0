using System.Text.Json.Nodes;
using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>The risk class (A–D, seed 001 §(七)) of closed mines: imported from the field names offices use, refused
/// whole when a value is not a class, exported under <c>risk_class</c>.</summary>
public sealed class RiskClassImportTests(PostgisFixture db) : IClassFixture<PostgisFixture>, IAsyncLifetime
{
    private static readonly LayerDefinition ClosedMines = LayerCatalog.Get(LayerKind.ClosedMines);

    public async Task InitializeAsync()
    {
        await new LayerImporter(db.ConnectionString).ImportFileAsync(
            Path.Combine(TestPaths.SampleData, "towns.shp"), LayerCatalog.Get(LayerKind.Towns), ImportOptions.Default);
        await using var connection = await db.OpenAsync();
        await using var clear = new Npgsql.NpgsqlCommand("DELETE FROM closed_mine", connection);
        await clear.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Import_RiskClassUnderChineseOrPinyinNames_StoresTheClassAndExportsIt()
    {
        var chinese = Mines("风险等级", ("RC-1", "D类"), ("RC-2", "a"), ("RC-3", ""));
        var pinyin = Mines("FXDJ", ("RC-4", "C"));

        await ImportAsync(chinese);
        await ImportAsync(pinyin);

        Assert.Equal("D,A,,C", await db.ScalarAsync<string>(
            "SELECT string_agg(coalesce(risk_class, ''), ',' ORDER BY code) FROM closed_mine"));
        var exported = Path.Combine(TestPaths.NewOutputDirectory("risk-class"), "closed-mines.geojson");
        await LayerExporter.ExportAsync(db.ConnectionString, ClosedMines, "geojson", exported);
        var features = JsonNode.Parse(await File.ReadAllTextAsync(exported))!["features"]!.AsArray();
        Assert.Equal(["D", "A", null, "C"], features.Select(f => (string?)f!["properties"]!["risk_class"]));
    }

    [Fact]
    public async Task Import_RiskClassNotAToD_RefusesNamingFeatureAndFieldAndWritesNothing()
    {
        var file = Mines("风险类别", ("RC-1", "B"), ("RC-2", "甲"));

        var error = await Assert.ThrowsAsync<ImportException>(() => ImportAsync(file));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(2, problem.Feature);
        Assert.Contains("risk_class (source 风险类别): '甲' is not one of", problem.Reason);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM closed_mine"));
    }

    private Task<ImportResult> ImportAsync(string file) =>
        new LayerImporter(db.ConnectionString).ImportFileAsync(file, ClosedMines, ImportOptions.Default);

    /// <summary>A GeoJSON file (CRS84) of point mines in the demo county with the class under <paramref name="field"/>.</summary>
    private static string Mines(string field, params (string Code, string Class)[] mines)
    {
        var features = mines.Select((m, i) => (JsonNode)new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(105.85 + (i * 0.01), 29.3) },
            ["properties"] = new JsonObject { ["矿山编码"] = m.Code, ["矿山名称"] = $"{m.Code} 煤矿", ["关闭状态"] = "已关闭", [field] = m.Class },
        });
        var path = Path.Combine(TestPaths.NewOutputDirectory("risk-class-src"), $"{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(features.ToArray()) }.ToJsonString());
        return path;
    }
}
