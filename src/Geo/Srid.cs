namespace GeoMine.Geo;

/// <summary>
/// EPSG codes GeoMine uses. Stored geometry is always <see cref="Cgcs2000"/> (longitude, latitude
/// in degrees, in that order in WKB/WKT regardless of the EPSG axis order).
/// </summary>
public static class Srid
{
    /// <summary>CGCS2000 geographic (EPSG:4490), degrees. The SRID of every stored geometry.</summary>
    public const int Cgcs2000 = 4490;

    /// <summary>WGS84 geographic (EPSG:4326), degrees. Treated as CGCS2000 (difference below GPS noise).</summary>
    public const int Wgs84 = 4326;
}
