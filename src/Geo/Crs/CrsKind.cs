namespace GeoMine.Geo.Crs;

/// <summary>What a <see cref="SpatialReference"/> is.</summary>
public enum CrsKind
{
    /// <summary>Longitude, latitude in degrees on CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326, treated as CGCS2000).</summary>
    Geographic,

    /// <summary>GCJ-02 (火星坐标), the obfuscated WGS84 of Chinese consumer map SDKs: longitude, latitude degrees.</summary>
    Gcj02,

    /// <summary>CGCS2000 Gauss-Kruger easting, northing in metres.</summary>
    GaussKruger,
}
