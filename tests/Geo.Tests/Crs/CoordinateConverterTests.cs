using GeoMine.Geo.Crs;

namespace GeoMine.Geo.Tests.Crs;

public sealed class CoordinateConverterTests
{
    private const double OneMillimetre = 0.001;

    [Fact]
    public void Convert_Cgcs2000ToEveryGaussKrugerSystem_AgreesWithCs2csWithinOneMillimetre()
    {
        var worst = 0.0;
        var worstLine = "";
        foreach (var (epsg, lon, lat, easting, northing) in Cs2csReference.All())
        {
            var converter = new CoordinateConverter(SpatialReference.Cgcs2000, SpatialReference.FromEpsg(epsg)!);
            var (x, y) = converter.Convert(lon, lat);
            var error = Math.Max(Math.Abs(x - easting), Math.Abs(y - northing));
            if (error > worst)
            {
                (worst, worstLine) = (error, $"EPSG:{epsg} {lon} {lat}: got {x:F6} {y:F6}, cs2cs {easting:F6} {northing:F6}");
            }
        }

        Assert.True(worst <= OneMillimetre, $"worst error {worst * 1000:F3} mm at {worstLine}");
    }

    [Fact]
    public void Convert_EveryGaussKrugerSystemToCgcs2000_AgreesWithCs2csWithinOneMillimetre()
    {
        var worst = 0.0;
        var worstLine = "";
        foreach (var (epsg, lon, lat, easting, northing) in Cs2csReference.All())
        {
            var converter = new CoordinateConverter(SpatialReference.FromEpsg(epsg)!, SpatialReference.Cgcs2000);
            var (x, y) = converter.Convert(easting, northing);
            // metres on the ground: 1° of latitude ≈ 111 km, of longitude ≈ 111 km × cos(lat)
            var error = Math.Max(Math.Abs(x - lon) * 111_320 * Math.Cos(lat * Math.PI / 180), Math.Abs(y - lat) * 110_574);
            if (error > worst)
            {
                (worst, worstLine) = (error, $"EPSG:{epsg} {easting} {northing}: got {x:F10} {y:F10}, cs2cs {lon} {lat}");
            }
        }

        Assert.True(worst <= OneMillimetre, $"worst error {worst * 1000:F3} mm at {worstLine}");
    }
}
