using GeoMine.Geo.Licences;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Licences;

public sealed class MiningRightWriterTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task WriteAsync_TwiceSameLicence_InsertsThenUpdatesOneRowWithBothBlocksAndLogsEach()
    {
        var area = LicenceParser.Parse(LicenceSamples.Numbered);
        var writer = new MiningRightWriter(db.ConnectionString);

        var first = await writer.WriteAsync(area, null, "licence-a.txt");
        var second = await writer.WriteAsync(area, null, "licence-a.txt");

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE licence_no = 'C2100002009071120031234'"));
        // PostGIS, not GeoMine, measures what was stored: 2 polygons, 1 hole, the band 363…-120 m
        Assert.Equal("2 1 363 -120 4490", await db.ScalarAsync<string>(
            "SELECT ST_NumGeometries(geom) || ' ' || ST_NumInteriorRings(ST_GeometryN(geom, 2)) || ' ' || upper_m || ' ' || lower_m || ' ' || ST_SRID(geom) FROM mining_right WHERE licence_no = 'C2100002009071120031234'"));
        // ellipsoidal area by PostGIS vs the plane area of the licence (6.6398 km²): GK zone scale is ~1 + 1e-5 here
        var ellipsoidalKm2 = await db.ScalarAsync<double>("SELECT ST_Area(geom::geography) / 1e6 FROM mining_right WHERE licence_no = 'C2100002009071120031234'");
        Assert.Equal(6.6398, ellipsoidalKm2, 0.001);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM import_log WHERE layer = 'mining-rights' AND source_crs = 'EPSG:4529'"));
    }

    [Fact]
    public async Task WriteAsync_NoLicenceNumberAnywhere_RefusesAndWritesNothing()
    {
        var area = LicenceParser.Parse(LicenceSamples.Table);

        await Assert.ThrowsAsync<LicenceException>(() => new MiningRightWriter(db.ConnectionString).WriteAsync(area, null, "t.txt"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM mining_right WHERE mine_name IS NULL"));
    }

    [Fact]
    public async Task WriteAsync_Xian80LicenceConverted_RecordsTheTransformationOnTheRightAndInTheLog()
    {
        var shift = new GeoMine.Geo.Crs.DatumTransformation { Name = "test-xian80", Datum = "xian1980", Towgs84 = "24,-123,-94", Area = "test" };
        var text = LicenceSamples.Table.Replace("2000国家大地坐标系", "1980西安坐标系");
        var area = LicenceParser.Parse(text, new LicenceParseOptions { Transformations = [shift], DatumTransform = "test-xian80" });

        await new MiningRightWriter(db.ConnectionString).WriteAsync(area, "C5000002010001", "xian80.txt");

        const string expected = "EPSG:2359, Xi'an 1980 3-degree Gauss-Kruger zone 35 (CM 105°E), prefixed; Xi'an 1980 → CGCS2000 by 'test-xian80' (+towgs84=24,-123,-94,0,0,0,0; test)";
        Assert.Equal(expected, await db.ScalarAsync<string>("SELECT source_crs FROM mining_right WHERE licence_no = 'C5000002010001'"));
        Assert.Equal(expected, await db.ScalarAsync<string>("SELECT source_crs FROM import_log WHERE source = 'xian80.txt'"));
    }
}
