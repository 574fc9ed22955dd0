using GeoMine.Geo.Geofence;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Geofence;

/// <summary>The patrol-visit test computes fix-to-shaft distances in memory: they must agree with PostGIS's geodesic
/// distance on the CGCS2000 ellipsoid (ST_Distance on geography, spheroid) to the millimetre at visit distances.</summary>
public sealed class ShortDistanceTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task ShortDistanceMetres_PairsUpTo300MetresApartAcrossChina_WithinOneMillimetreOfPostgis()
    {
        var random = new Random(4490);
        var worst = 0.0;
        for (var i = 0; i < 400; i++)
        {
            var lat1 = 18 + (random.NextDouble() * 36); // Hainan to Heilongjiang
            var lon1 = 74 + (random.NextDouble() * 60);
            var lat2 = lat1 + ((random.NextDouble() - 0.5) * 0.005); // ≤ ~280 m each way
            var lon2 = lon1 + ((random.NextDouble() - 0.5) * 0.006);
            var postgis = await db.ScalarAsync<double>(
                "SELECT ST_Distance(geography(ST_SetSRID(ST_MakePoint(@x1, @y1), 4490)), geography(ST_SetSRID(ST_MakePoint(@x2, @y2), 4490)))",
                ("x1", lon1), ("y1", lat1), ("x2", lon2), ("y2", lat2));
            worst = Math.Max(worst, Math.Abs(LocalMetricPlane.ShortDistanceMetres(lon1, lat1, lon2, lat2) - postgis));
        }

        Assert.True(worst < 0.001, $"largest difference from PostGIS {worst * 1000:0.###} mm");
    }
}
