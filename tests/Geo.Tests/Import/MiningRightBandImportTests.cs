using GeoMine.Geo.Import;
using GeoMine.Geo.Licences;
using GeoMine.Geo.Tests.Licences;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>Boundary datasets often carry no elevation band (开采标高), or give it lower first: the band is stored unknown or read
/// by meaning, and each is said in the summary; a licence text later fills it, and a band-less re-import never wipes it.</summary>
public sealed class MiningRightBandImportTests : IAsyncLifetime
{
    private readonly PostgisFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private static async Task<string> FileAsync(string name, params string[] properties)
    {
        var folder = TestPaths.NewOutputDirectory(name);
        var path = Path.Combine(folder, $"{name}.geojson");
        const string polygon = "{\"type\":\"Polygon\",\"coordinates\":[[[123.31,40.71],[123.33,40.712],[123.335,40.70],[123.308,40.695],[123.31,40.71]]]}";
        var features = properties.Select(p => "{\"type\":\"Feature\",\"properties\":{" + p + "},\"geometry\":" + polygon + "}");
        await File.WriteAllTextAsync(path, "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}");
        return path;
    }

    private Task<string> BandsAsync() => _db.ScalarAsync<string>(
        "SELECT string_agg(licence_no || ':' || coalesce(upper_m::text, '?') || '/' || coalesce(lower_m::text, '?'), ' ' ORDER BY licence_no) FROM mining_right");

    [Fact]
    public async Task Import_BandMissingSwappedOrHalf_UnknownSwappedRefusedAndEachSaid()
    {
        var importer = new LayerImporter(_db.ConnectionString);
        var file = await FileAsync("bands",
            "\"licence\":\"C1\",\"upper_m\":363,\"lower_m\":10",
            "\"licence\":\"C2\"",
            "\"licence\":\"C3\",\"upper_m\":10,\"lower_m\":363");
        var half = await FileAsync("half", "\"licence\":\"C4\",\"upper_m\":363");

        var result = await importer.ImportFileAsync(file, LayerCatalog.Get(LayerKind.MiningRights), ImportOptions.Default);
        var refused = await Assert.ThrowsAsync<ImportException>(() => importer.ImportFileAsync(half, LayerCatalog.Get(LayerKind.MiningRights), ImportOptions.Default));

        Assert.Equal("C1:363/10 C2:?/? C3:363/10", await BandsAsync());
        Assert.Contains(result.Warnings, w => w.Contains("lower bound first") && w.Contains("features 3"));
        Assert.Contains(result.Warnings, w => w.StartsWith("1 mining right(s) without an elevation band") && w.Contains("超层 is not checked"));
        Assert.Contains("upper_m given without lower_m", Assert.Single(refused.Problems).Reason);
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE licence_no = 'C4'"));
    }

    [Fact]
    public async Task LicenceTextThenBandlessReimport_BandFilledThenKept()
    {
        var importer = new LayerImporter(_db.ConnectionString);
        await importer.ImportFileAsync(await FileAsync("first", "\"licence\":\"C2100002009071120031234\""), LayerCatalog.Get(LayerKind.MiningRights), ImportOptions.Default);
        Assert.Equal("C2100002009071120031234:?/?", await BandsAsync());

        await new MiningRightWriter(_db.ConnectionString).WriteAsync(LicenceParser.Parse(LicenceSamples.Numbered), null, "licence.txt");
        Assert.Equal("C2100002009071120031234:363/-120", await BandsAsync());
        Assert.Equal(2L, await _db.ScalarAsync<long>("SELECT count(*) FROM mining_right_block"));

        // The boundary file again, without a band: the band stays; its boundary replaces the licence's, so the blocks go.
        await importer.ImportFileAsync(await FileAsync("again", "\"licence\":\"C2100002009071120031234\""), LayerCatalog.Get(LayerKind.MiningRights), ImportOptions.Default);
        Assert.Equal("C2100002009071120031234:363/-120", await BandsAsync());
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM mining_right_block"));
    }

    [Fact]
    public async Task Import_UnbelievableDatesAndElevations_RefusedByFeatureAndField_NothingWritten()
    {
        // Values that parse but no licence carries: a date of year 1 or 9999 (what empty date fields become in some exports),
        // an elevation of 10³⁰⁸ m or deeper than any mine. The believable limits: dates 1900–2100, elevations −3 000 to 9 000 m.
        var file = await FileAsync("unbelievable",
            "\"licence\":\"U1\",\"upper_m\":363,\"lower_m\":10,\"valid_from\":\"0001-01-01\"",
            "\"licence\":\"U2\",\"upper_m\":363,\"lower_m\":10,\"valid_to\":\"9999-12-31\"",
            "\"licence\":\"U3\",\"upper_m\":1e308,\"lower_m\":10",
            "\"licence\":\"U4\",\"upper_m\":363,\"lower_m\":-20000",
            "\"licence\":\"U5\",\"upper_m\":8848.86,\"lower_m\":-1500,\"valid_from\":\"1900-01-01\",\"valid_to\":\"2100-12-31\"");
        var refused = await Assert.ThrowsAsync<ImportException>(
            () => new LayerImporter(_db.ConnectionString).ImportFileAsync(file, LayerCatalog.Get(LayerKind.MiningRights), ImportOptions.Default));

        Assert.Equal(
            ["1 valid_from believable", "2 valid_to believable", "3 upper_m believable", "4 lower_m believable"],
            refused.Problems.Select(p => $"{p.Feature} {p.Reason.Split(' ')[1]} {(p.Reason.Contains("believable", StringComparison.Ordinal) ? "believable" : p.Reason)}"));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM mining_right"));
    }
}
