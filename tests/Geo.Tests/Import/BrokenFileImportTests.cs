using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>Bad files are refused with a message naming the problem, and nothing is written.</summary>
public sealed class BrokenFileImportTests(PostgisFixture db) : IClassFixture<PostgisFixture>, IAsyncLifetime
{
    private static readonly LayerDefinition ClosedMines = LayerCatalog.Get(LayerKind.ClosedMines);

    private static string Broken(string name) => Path.Combine(TestPaths.TestData("Geo.Tests"), "broken", name, "closed_mines.shp");

    public async Task InitializeAsync()
    {
        // Mines name their town; the towns must be there (re-importing them is an idempotent upsert).
        await new LayerImporter(db.ConnectionString).ImportFileAsync(
            Path.Combine(TestPaths.SampleData, "towns.shp"), LayerCatalog.Get(LayerKind.Towns), ImportOptions.Default);
        await using var connection = await db.OpenAsync();
        await using var clear = new Npgsql.NpgsqlCommand("DELETE FROM closed_mine; DELETE FROM import_log WHERE layer <> 'towns'", connection);
        await clear.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Import_ShapefileWithoutShx_FailsNamingTheMissingPartAndWritesNothing()
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => ImportAsync(Broken("missing_shx")));

        Assert.Contains("missing .shx", error.Message);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Import_GeoJsonRingNotClosed_RejectsThatFeatureNamingItNeverACrash()
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("unclosed"), "mines.geojson");
        await File.WriteAllTextAsync(path, """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"U1","name":"开环矿"},
             "geometry":{"type":"Polygon","coordinates":[[[106.5,29.5],[106.6,29.5],[106.6,29.6],[106.5,29.6]]]}}]}
            """);

        var error = await Assert.ThrowsAsync<ImportException>(() => ImportAsync(path));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(1, problem.Feature);
        Assert.Contains("a polygon ring must end where it starts", problem.Reason);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Import_SelfIntersectingPolygon_RejectsThatFeatureByNumberAndWritesNothing()
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => ImportAsync(Broken("self_intersecting")));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(2, problem.Feature);
        Assert.Contains("Self-intersection", problem.Reason);
        Assert.Contains("nothing imported", error.Message);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Import_SelfIntersectingWithSkipInvalid_ImportsTheValidFeaturesAndListsTheRejected()
    {
        var result = await ImportAsync(Broken("self_intersecting"), skipInvalid: true);

        Assert.Equal(2, result.Inserted);
        Assert.Equal([2], result.Rejected.Select(p => p.Feature));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM closed_mine"));
    }

    [Fact]
    public async Task Import_PointsIntoLineLayer_RejectsEveryFeatureNamingItsType()
    {
        // Closed mines may be points; flow paths may not.
        var lines = LayerCatalog.Get(LayerKind.TailingsFlowPaths);
        var options = new ImportOptions(new Dictionary<string, string> { ["code"] = "矿山编码" });
        var error = await Assert.ThrowsAsync<ImportException>(() =>
            new LayerImporter(db.ConnectionString).ImportFileAsync(Broken("wrong_type"), lines, options));

        var features = await Gdal.FeatureCountAsync(Broken("wrong_type"));
        var byFeature = error.Problems.GroupBy(p => p.Feature).ToList();
        Assert.Equal(features, byFeature.Count);
        Assert.All(byFeature, g => Assert.Contains(g, p => p.Reason.Contains("wrong geometry type Point")));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Import_ShapefileWithoutPrj_FailsAskingForTheCrs()
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => ImportAsync(Broken("no_prj")));

        Assert.Contains("unknown coordinate reference system", error.Message);
        Assert.Contains("--srs", error.Message);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Import_ShapefileWithoutPrjGivenSrs_Imports()
    {
        var result = await new LayerImporter(db.ConnectionString).ImportFileAsync(
            Broken("no_prj"), ClosedMines, ImportOptions.Default, sourceSrs: "EPSG:4490");

        Assert.True(result.Inserted > 0);
    }

    [Fact]
    public async Task Import_MapToMissingSourceField_FailsListingTheFileFields()
    {
        var options = new ImportOptions(new Dictionary<string, string> { ["name"] = "KSMC_TYPO" });

        var error = await Assert.ThrowsAsync<ImportException>(() =>
            new LayerImporter(db.ConnectionString).ImportFileAsync(Path.Combine(TestPaths.SampleData, "closed_mines.shp"), ClosedMines, options));

        Assert.Contains("KSMC_TYPO", error.Message);
        Assert.Contains("矿山名称", error.Message);
        await AssertNothingWrittenAsync();
    }

    private Task<ImportResult> ImportAsync(string path, bool skipInvalid = false) =>
        new LayerImporter(db.ConnectionString).ImportFileAsync(
            path, ClosedMines, ImportOptions.Default with { SkipInvalid = skipInvalid });

    private async Task AssertNothingWrittenAsync()
    {
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM closed_mine"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM import_log WHERE layer <> 'towns'"));
    }
}
