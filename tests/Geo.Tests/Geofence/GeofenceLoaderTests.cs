using GeoMine.Geo.Geofence;
using GeoMine.Geo.Licences;
using GeoMine.Geo.Storage;
using GeoMine.Geo.Tests.Licences;
using GeoMine.TestSupport;
using NetTopologySuite.IO;
using Npgsql;

namespace GeoMine.Geo.Tests.Geofence;

public sealed class GeofenceLoaderTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task ReloadAsync_RowsOfAllFourTables_IndexAnswersForEachKind()
    {
        await new MiningRightWriter(db.ConnectionString).WriteAsync(LicenceParser.Parse(LicenceSamples.Numbered), null, "a.txt");
        await using (var connection = await db.OpenAsync())
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO closed_mine (code, name, geom) VALUES ('M1', '老煤矿', @mine::geometry);
                INSERT INTO sealed_shaft (code, mine_id, geom) SELECT 'S1', id, @shaft::geometry FROM closed_mine WHERE code = 'M1';
                INSERT INTO tailings_pond (code, name, geom) VALUES ('T1', '尾矿库', @pond::geometry);
                """, connection);
            var wkt = new WKTReader(GeometryWkb.Factory.GeometryServices);
            insert.Parameters.Add(GeometryWkb.Parameter("mine", wkt.Read("POLYGON ((106.40 29.80, 106.41 29.80, 106.41 29.81, 106.40 29.81, 106.40 29.80))")));
            insert.Parameters.Add(GeometryWkb.Parameter("shaft", wkt.Read("POINT (106.405 29.805)")));
            insert.Parameters.Add(GeometryWkb.Parameter("pond", wkt.Read("MULTIPOLYGON (((106.50 29.80, 106.51 29.80, 106.51 29.81, 106.50 29.80)))")));
            await insert.ExecuteNonQueryAsync();
        }

        var holder = new GeofenceIndexHolder(GeofenceIndex.Build([]));
        var index = await holder.ReloadAsync(db.ConnectionString, shaftRadiusMetres: 50);

        Assert.Equal(5, index.AreaCount); // the licence's two blocks are indexed one by one
        var atShaft = index.Classify("d1", 106.4051, 29.8051, 10, 5);
        Assert.Equal(Containment.Inside, atShaft.ContainmentOf(GeofenceAreaKind.ClosedMine, 1));
        Assert.Equal(Containment.Inside, atShaft.ContainmentOf(GeofenceAreaKind.SealedShaft, 1));
        Assert.NotNull(atShaft.NearestShaft);
        var inPond = index.Classify("d2", 106.508, 29.802, null, 5);
        Assert.Equal(Containment.Inside, inPond.ContainmentOf(GeofenceAreaKind.TailingsPond, 1));
        // 远东采区 of the sample licence, indexed with its own band 10…363 m: −200 m is below (超层)
        var hit = Assert.Single(index.Classify("d3", 123.322, 40.702, -200, 5).Hits);
        Assert.Equal((GeofenceAreaKind.MiningRight, Containment.Inside, ElevationStatus.Below), (hit.Kind, hit.Containment, hit.Elevation));
        Assert.Equal(new ElevationRangeMetres(10, 363), hit.Band);
    }
}
