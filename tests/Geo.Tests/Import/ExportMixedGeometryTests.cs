using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>A shapefile holds one geometry type: a layer that mixes points and areas is refused before any file is written
/// (GDAL wrote the first few features and failed, leaving a partial shapefile), and GeoPackage takes it whole.</summary>
public sealed class ExportMixedGeometryTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    [Fact]
    public async Task ClosedMinesMixingPointsAndAreas_ToShapefile_RefusedNamingTheMix_NoFileTouched_GpkgHasThemAll()
    {
        // One mine drawn the other way from the rest: as a point if they are areas, as an area if they are points.
        await county.Db.ScalarAsync<int>("""
            UPDATE closed_mine SET geom = CASE WHEN ST_Dimension(geom) = 0 THEN ST_Buffer(geom::geography, 50, 'quad_segs=1')::geometry
                                               ELSE ST_PointOnSurface(geom) END
            WHERE code = (SELECT min(code) FROM closed_mine) RETURNING 1
            """);
        var points = await county.Db.ScalarAsync<long>("SELECT count(*) FROM closed_mine WHERE ST_Dimension(geom) = 0");
        var areas = await county.Db.ScalarAsync<long>("SELECT count(*) FROM closed_mine WHERE ST_Dimension(geom) = 2");
        var folder = TestPaths.NewOutputDirectory("export-mixed");
        var shp = Path.Combine(folder, "closed_mines.shp");
        await File.WriteAllTextAsync(Path.ChangeExtension(shp, ".dbf"), "an earlier export"); // must survive the refusal
        var layer = LayerCatalog.Get(LayerKind.ClosedMines);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LayerExporter.ExportAsync(county.Db.ConnectionString, layer, "shp", shp));

        Assert.True(points > 0 && areas > 0);
        Assert.Contains($"{areas} areas and {points} points", error.Message);
        Assert.False(File.Exists(shp));
        Assert.Equal("an earlier export", await File.ReadAllTextAsync(Path.ChangeExtension(shp, ".dbf")));

        var gpkg = Path.Combine(folder, "closed_mines.gpkg");
        Assert.Equal(points + areas, await LayerExporter.ExportAsync(county.Db.ConnectionString, layer, "gpkg", gpkg));
        Assert.Equal(points + areas, await Gdal.FeatureCountAsync(gpkg)); // GDAL reads back what was written
    }
}
