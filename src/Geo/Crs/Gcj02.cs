namespace GeoMine.Geo.Crs;

/// <summary>
/// GCJ-02 (the offset "Mars" coordinates of Chinese consumer maps) to WGS84 and back, longitude and
/// latitude in degrees. The forward formula is the published one (Krasovsky-based offset of a few
/// hundred metres); the inverse is iterated to 1e-10° (about 0.01 mm). The offset is defined only
/// inside China: outside the usual bounding box (72.004°E…137.8347°E, 0.8293°N…55.8271°N) coordinates
/// are returned unchanged. WGS84 here is treated as CGCS2000 (see <see cref="SpatialReference.Wgs84"/>).
/// </summary>
public static class Gcj02
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    /// <summary>True when the GCJ-02 offset applies at this longitude, latitude (degrees).</summary>
    public static bool IsInChina(double longitudeDegrees, double latitudeDegrees) =>
        longitudeDegrees is >= 72.004 and <= 137.8347 && latitudeDegrees is >= 0.8293 and <= 55.8271;

    /// <summary>WGS84 → GCJ-02 (degrees).</summary>
    public static (double Longitude, double Latitude) FromWgs84(double longitude, double latitude)
    {
        if (!IsInChina(longitude, latitude))
        {
            return (longitude, latitude);
        }

        var (dLon, dLat) = Offset(longitude, latitude);
        return (longitude + dLon, latitude + dLat);
    }

    /// <summary>GCJ-02 → WGS84 (degrees): fixed-point iteration on <see cref="FromWgs84"/>, converging to
    /// 1e-10° in a few steps since the offset changes slowly.</summary>
    public static (double Longitude, double Latitude) ToWgs84(double longitude, double latitude)
    {
        if (!IsInChina(longitude, latitude))
        {
            return (longitude, latitude);
        }

        var (lon, lat) = (longitude, latitude);
        for (var i = 0; i < 30; i++)
        {
            var (fLon, fLat) = FromWgs84(lon, lat);
            var (eLon, eLat) = (longitude - fLon, latitude - fLat);
            lon += eLon;
            lat += eLat;
            if (Math.Abs(eLon) < 1e-10 && Math.Abs(eLat) < 1e-10)
            {
                break;
            }
        }

        return (lon, lat);
    }

    private static (double DLon, double DLat) Offset(double lon, double lat)
    {
        var x = lon - 105.0;
        var y = lat - 35.0;
        var dLat = -100.0 + (2.0 * x) + (3.0 * y) + (0.2 * y * y) + (0.1 * x * y) + (0.2 * Math.Sqrt(Math.Abs(x)))
                   + (((20.0 * Math.Sin(6.0 * x * Math.PI)) + (20.0 * Math.Sin(2.0 * x * Math.PI))) * 2.0 / 3.0)
                   + (((20.0 * Math.Sin(y * Math.PI)) + (40.0 * Math.Sin(y / 3.0 * Math.PI))) * 2.0 / 3.0)
                   + (((160.0 * Math.Sin(y / 12.0 * Math.PI)) + (320 * Math.Sin(y * Math.PI / 30.0))) * 2.0 / 3.0);
        var dLon = 300.0 + x + (2.0 * y) + (0.1 * x * x) + (0.1 * x * y) + (0.1 * Math.Sqrt(Math.Abs(x)))
                   + (((20.0 * Math.Sin(6.0 * x * Math.PI)) + (20.0 * Math.Sin(2.0 * x * Math.PI))) * 2.0 / 3.0)
                   + (((20.0 * Math.Sin(x * Math.PI)) + (40.0 * Math.Sin(x / 3.0 * Math.PI))) * 2.0 / 3.0)
                   + (((150.0 * Math.Sin(x / 12.0 * Math.PI)) + (300.0 * Math.Sin(x / 30.0 * Math.PI))) * 2.0 / 3.0);
        var radLat = lat / 180.0 * Math.PI;
        var magic = Math.Sin(radLat);
        magic = 1 - (Ee * magic * magic);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLon, dLat);
    }
}
