using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>A feature's town does not depend on the order the layers were imported in: mines that name no town (as national
/// boundary datasets do not) imported before the towns get their town when the towns come. The referee is PostGIS's own
/// spatial join.</summary>
public sealed class ImportOrderTests : IAsyncLifetime
{
    private readonly PostgisFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    /// <summary>The demo county's closed mines without their town field.</summary>
    private static Task<string> MinesWithoutTownAsync()
    {
        var townNames = LayerCatalog.Get(LayerKind.ClosedMines).Fields.Single(f => f.Name == "town").Candidates;
        return Gdal.ClosedMinesGeoJsonAsync("mines_without_town", k => !townNames.Contains(k, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TownsImportedAfterMines_AssignEveryMineThatLiesInOne_AndSaySo()
    {
        var importer = new LayerImporter(_db.ConnectionString);
        await importer.ImportFileAsync(await MinesWithoutTownAsync(), LayerCatalog.Get(LayerKind.ClosedMines), ImportOptions.Default);
        var mines = await _db.ScalarAsync<long>("SELECT count(*) FROM closed_mine");
        Assert.True(mines > 0);
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM closed_mine WHERE town_id IS NOT NULL"));

        var towns = await importer.ImportFileAsync(Path.Combine(TestPaths.SampleData, "towns.shp"), LayerCatalog.Get(LayerKind.Towns), ImportOptions.Default);

        var assigned = await _db.ScalarAsync<long>("SELECT count(*) FROM closed_mine WHERE town_id IS NOT NULL");
        Assert.True(assigned > 0, "no mine got a town");
        Assert.Contains($"town assigned to {assigned} closed mines imported before their town", towns.Warnings);
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM closed_mine f
            WHERE f.town_id IS DISTINCT FROM (SELECT t.id FROM jurisdiction t WHERE t.level = 'town'
                                              AND ST_Intersects(t.geom, ST_PointOnSurface(f.geom)) ORDER BY t.id LIMIT 1)
            """));
    }
}
