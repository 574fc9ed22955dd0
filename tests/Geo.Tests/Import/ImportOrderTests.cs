using System.Text.Json.Nodes;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
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

    /// <summary>The demo county's closed mines as GeoJSON (GDAL converts the GBK shapefile) without their town field.</summary>
    private static async Task<string> MinesWithoutTownAsync()
    {
        var folder = TestPaths.NewOutputDirectory("import-order");
        var full = Path.Combine(folder, "mines.geojson");
        await ExternalCommand.RunCheckedAsync("ogr2ogr",
            ["-f", "GeoJSON", full, Path.Combine(TestPaths.SampleData, "closed_mines.shp"), "-oo", "ENCODING=CP936", "-t_srs", "EPSG:4490"]);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(full))!;
        var townNames = LayerCatalog.Get(LayerKind.ClosedMines).Fields.Single(f => f.Name == "town").Candidates;
        foreach (var feature in json["features"]!.AsArray())
        {
            var properties = feature!["properties"]!.AsObject();
            foreach (var name in properties.Select(p => p.Key).Where(k => townNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList())
            {
                properties.Remove(name);
            }
        }

        var stripped = Path.Combine(folder, "mines_without_town.geojson");
        await File.WriteAllTextAsync(stripped, json.ToJsonString());
        return stripped;
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
