using GeoMine.Geo.Storage;
using GeoMine.TestSupport;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace GeoMine.Geo.Tests.Storage;

public sealed class GeometryWkbTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    public static TheoryData<string> Geometries => new()
    {
        "POINT (105.9123456789 29.3456789012)",
        "POINT Z (105.9123456789 29.3456789012 356.25)",
        "LINESTRING (105.9 29.3, 105.91 29.31, 105.92 29.305)",
        "LINESTRING Z (105.9 29.3 300, 105.91 29.31 310.5, 105.92 29.305 320)",
        "POLYGON ((105.9 29.3, 106 29.3, 106 29.4, 105.9 29.4, 105.9 29.3), (105.92 29.32, 105.92 29.34, 105.94 29.34, 105.92 29.32))",
        "MULTIPOINT ((105.9 29.3), (105.95 29.35))",
        "MULTILINESTRING ((105.9 29.3, 105.91 29.31), (105.95 29.35, 105.96 29.36))",
        "MULTIPOLYGON (((105.9 29.3, 106 29.3, 106 29.4, 105.9 29.4, 105.9 29.3), (105.92 29.32, 105.92 29.34, 105.94 29.34, 105.92 29.32)), ((106.1 29.1, 106.2 29.1, 106.2 29.2, 106.1 29.1)))",
        "GEOMETRYCOLLECTION (POINT (105.9 29.3), LINESTRING (105.9 29.3, 106 29.4))",
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public async Task RoundTrip_ThroughPostgis_KeepsTypeCoordinatesZAndSrid(string wkt)
    {
        var original = new WKTReader(GeometryWkb.Factory.GeometryServices).Read(wkt);
        original.SRID = Srid.Cgcs2000;
        await using var connection = await db.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE g (geom geometry)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO g VALUES (@geom::geometry)", connection))
        {
            insert.Parameters.Add(GeometryWkb.Parameter("geom", original));
            await insert.ExecuteNonQueryAsync();
        }

        // PostGIS parses the same WKT itself: the stored geometry must be identical to it.
        await using var check = new NpgsqlCommand("""
            SELECT geom, ST_SRID(geom), ST_NDims(geom),
                   ST_OrderingEquals(geom, ST_GeomFromText(@wkt, 4490)) AND ST_AsEWKT(geom) = ST_AsEWKT(ST_GeomFromText(@wkt, 4490))
            FROM g
            """, connection);
        check.Parameters.AddWithValue("wkt", wkt);
        await using var reader = await check.ExecuteReaderAsync();
        await reader.ReadAsync();
        var back = GeometryWkb.Read(reader, 0)!;

        Assert.Equal(4490, reader.GetInt32(1));
        Assert.Equal(wkt.Contains(" Z ") ? 3 : 2, reader.GetInt16(2));
        Assert.True(reader.GetBoolean(3), "PostGIS stored something other than the WKT it parses itself");
        Assert.Equal(Srid.Cgcs2000, back.SRID);
        Assert.Equal(original.GeometryType, back.GeometryType);
        Assert.True(original.EqualsExact(back), $"{original.AsText()} came back as {back.AsText()}");
        Assert.Equal(original.Coordinates.Select(c => c.Z), back.Coordinates.Select(c => c.Z));
    }

    [Fact]
    public void PointEwkb_SameBytesAsTheGeneralWriter()
    {
        var point = GeometryWkb.Factory.CreatePoint(new Coordinate(105.912345678901, 29.345678901234));

        Assert.Equal(GeometryWkb.ToEwkb(point), GeometryWkb.PointEwkb(105.912345678901, 29.345678901234));
    }

    [Fact]
    public async Task PointEwkb_PostgisReadsItAsAPointIn4490()
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ST_AsEWKT(@p::geometry)", connection);
        command.Parameters.AddWithValue("p", GeometryWkb.PointEwkb(105.5, 29.25));

        Assert.Equal("SRID=4490;POINT(105.5 29.25)", await command.ExecuteScalarAsync());
    }
}
