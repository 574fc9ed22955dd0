using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>"Inside China" is China's land outline (Natural Earth, widened by 20 km), not a bounding box: mines around New Delhi
/// and Vladivostok (inside the old box 73–136°E, 3–54°N) are refused naming the feature, as is Jakarta; one in Chongqing
/// goes in. City coordinates are the cities' published positions.</summary>
public sealed class InsideChinaImportTests : IAsyncLifetime
{
    private readonly PostgisFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Import_MinesInIndiaRussiaIndonesia_RefusedByFeatureTheChineseOneKept()
    {
        (string Code, double Lon, double Lat)[] mines = [("IN-1", 77.21, 28.61), ("RU-1", 131.89, 43.12), ("ID-1", 106.85, -6.21), ("CN-1", 106.55, 29.56)];
        var folder = TestPaths.NewOutputDirectory("inside-china");
        var path = Path.Combine(folder, "mines.geojson");
        var features = mines.Select(m => FormattableString.Invariant(
            $"{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{m.Code}\",\"name\":\"{m.Code}\"}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{m.Lon},{m.Lat}]}}}}"));
        await File.WriteAllTextAsync(path, "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}");

        var result = await new LayerImporter(_db.ConnectionString).ImportFileAsync(path, LayerCatalog.Get(LayerKind.ClosedMines), new ImportOptions(new Dictionary<string, string>(), SkipInvalid: true));

        Assert.Equal([1, 2, 3], result.Rejected.Select(p => p.Feature).Distinct());
        Assert.Contains("outside China (its land outline", result.Rejected[0].Reason);
        Assert.Contains("outside China (its land outline", result.Rejected[1].Reason);
        Assert.Equal("CN-1", await _db.ScalarAsync<string>("SELECT string_agg(code, ',') FROM closed_mine"));
    }
}
