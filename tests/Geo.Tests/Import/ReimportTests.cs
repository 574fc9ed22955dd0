using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>Re-importing a layer from a file that lacks some fields keeps what is stored in those fields: a list of names must
/// not wipe minerals or turn a 关闭中 class-D mine into a plain closed one (which would stretch its patrol interval).</summary>
public sealed class ReimportTests : IAsyncLifetime
{
    private readonly PostgisFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    /// <summary>The demo county's closed mines with only their code, name and town.</summary>
    private static Task<string> NamesOnlyAsync()
    {
        var keep = LayerCatalog.Get(LayerKind.ClosedMines).Fields.Where(f => f.Name is "code" or "name" or "town")
            .SelectMany(f => f.Candidates).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Gdal.ClosedMinesGeoJsonAsync("mine_names", keep.Contains);
    }

    private Task<string> StoredAsync() => _db.ScalarAsync<string>("""
        SELECT string_agg(concat_ws('|', code, closure_status, risk_class, mineral, closure_decision_date), ';' ORDER BY code) FROM closed_mine
        """);

    [Fact]
    public async Task ReimportOfNamesOnly_KeepsStatusRiskClassMineralAndDates_AndSaysSo()
    {
        var importer = new LayerImporter(_db.ConnectionString);
        await importer.ImportFileAsync(Path.Combine(TestPaths.SampleData, "towns.shp"), LayerCatalog.Get(LayerKind.Towns), ImportOptions.Default);
        await importer.ImportFileAsync(Path.Combine(TestPaths.SampleData, "closed_mines.shp"), LayerCatalog.Get(LayerKind.ClosedMines), ImportOptions.Default);
        // What an earlier, fuller file (or the registry forms) stored for one mine: 关闭中, class D, a mineral, a date.
        await _db.ScalarAsync<int>("""
            UPDATE closed_mine SET closure_status = 'closing', risk_class = 'D', mineral = '无烟煤', closure_decision_date = '2019-06-30'
            WHERE code = (SELECT min(code) FROM closed_mine) RETURNING 1
            """);
        var before = await StoredAsync();

        var result = await importer.ImportFileAsync(await NamesOnlyAsync(), LayerCatalog.Get(LayerKind.ClosedMines), ImportOptions.Default);

        Assert.Equal(before, await StoredAsync());
        Assert.Contains(result.Warnings, w => w.Contains("keep their stored", StringComparison.Ordinal) && w.Contains("mineral", StringComparison.Ordinal)
                                              && w.Contains("risk_class", StringComparison.Ordinal) && w.Contains("status", StringComparison.Ordinal));
    }
}
