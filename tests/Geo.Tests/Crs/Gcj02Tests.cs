using GeoMine.Geo.Crs;

namespace GeoMine.Geo.Tests.Crs;

public sealed class Gcj02Tests
{
    // Published test vectors of eviltransform (github.com/googollee/eviltransform, transform_test.go):
    // WGS84 lat, lon → GCJ-02 lat, lon.
    public static TheoryData<double, double, double, double> Published => new()
    {
        { 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215 },    // Shanghai
        { 22.543847, 113.912316, 22.540796131694766, 113.9171764808363 },   // Shenzhen
        { 39.911954, 116.377817, 39.91334545536069, 116.38404722455657 },   // Beijing
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void FromWgs84_PublishedVectors_MatchWithin1e9Degrees(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var (lon, lat) = Gcj02.FromWgs84(wgsLon, wgsLat);

        Assert.Equal(gcjLon, lon, 1e-9);
        Assert.Equal(gcjLat, lat, 1e-9);
    }

    [Fact]
    public void ToWgs84_GridAcrossChina_RoundTripsWithinHalfAMetre()
    {
        var worstMetres = 0.0;
        for (var lon = 73.5; lon <= 135.0; lon += 0.37)
        {
            for (var lat = 18.0; lat <= 53.5; lat += 0.29)
            {
                var gcj = Gcj02.FromWgs84(lon, lat);
                var back = Gcj02.ToWgs84(gcj.Longitude, gcj.Latitude);
                var metres = Math.Max(Math.Abs(back.Longitude - lon) * 111_320 * Math.Cos(lat * Math.PI / 180), Math.Abs(back.Latitude - lat) * 110_574);
                worstMetres = Math.Max(worstMetres, metres);
            }
        }

        Assert.True(worstMetres < 0.5, $"worst round trip {worstMetres} m");
    }

    [Theory]
    [InlineData(139.6917, 35.6895)]   // Tokyo
    [InlineData(-104.9903, 39.7392)]  // Denver
    [InlineData(153.0251, -27.4698)]  // Brisbane
    public void ToWgs84_OutsideChina_ReturnsCoordinatesUnchanged(double lon, double lat)
    {
        Assert.Equal((lon, lat), Gcj02.ToWgs84(lon, lat));
        Assert.Equal((lon, lat), Gcj02.FromWgs84(lon, lat));
    }
}
