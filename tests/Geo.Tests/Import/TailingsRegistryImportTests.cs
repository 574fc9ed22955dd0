using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>The tailings registry's extra fields come in with Chinese field names like the rest, a current crest
/// becomes a dated crest survey, and a later file without those fields keeps what is stored.</summary>
public sealed class TailingsRegistryImportTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    private const string Pond = """
        {"type": "FeatureCollection", "features": [{"type": "Feature",
          "properties": {"尾矿库编码": "T-REG-1", "尾矿库名称": "测试尾矿库", "企业名称": "测试选矿厂", "状态": "在用",
                         "总库容": 150, "坝高": 42 %EXTRA%},
          "geometry": {"type": "Polygon", "coordinates": [[[105.90, 29.30], [105.91, 29.30], [105.91, 29.31], [105.90, 29.31], [105.90, 29.30]]]}}]}
        """;

    private async Task ImportAsync(string extra)
    {
        var file = Path.Combine(Path.GetTempPath(), $"geomine-tailings-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(file, Pond.Replace("%EXTRA%", extra, StringComparison.Ordinal));
        try
        {
            await new LayerImporter(db.ConnectionString).ImportFileAsync(file, LayerCatalog.Get(LayerKind.Tailings), ImportOptions.Default);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_RegistryFields_StoredWithACrestSurvey_AndKeptWhenALaterFileLacksThem()
    {
        await ImportAsync(""", "设计最终坝顶标高": 380.5, "现状坝顶标高": 372.25, "测量日期": "2026-04-18", "筑坝方式": "上游式", "一库一策": "永应急〔2026〕7号" """);

        Assert.Equal(380.5, await db.ScalarAsync<double>("SELECT design_crest_m FROM tailings_pond WHERE code = 'T-REG-1'"));
        Assert.Equal("upstream", await db.ScalarAsync<string>("SELECT construction_method FROM tailings_pond WHERE code = 'T-REG-1'"));
        Assert.Equal(372.25, await db.ScalarAsync<double>("SELECT crest_m FROM tailings_crest_survey WHERE surveyed_on = '2026-04-18'"));

        await ImportAsync("");

        Assert.Equal(380.5, await db.ScalarAsync<double>("SELECT design_crest_m FROM tailings_pond WHERE code = 'T-REG-1'"));
        Assert.Equal("永应急〔2026〕7号", await db.ScalarAsync<string>("SELECT plan_ref FROM tailings_pond WHERE code = 'T-REG-1'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM tailings_crest_survey"));
    }
}
