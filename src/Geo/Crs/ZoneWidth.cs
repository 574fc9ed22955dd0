namespace GeoMine.Geo.Crs;

/// <summary>Width of a CGCS2000 Gauss-Kruger zone, in degrees of longitude.</summary>
public enum ZoneWidth
{
    /// <summary>3-degree zones 25-45, central meridian = 3° × zone (75°E…135°E).</summary>
    ThreeDegree = 3,

    /// <summary>6-degree zones 13-23, central meridian = 6° × zone − 3° (75°E…135°E).</summary>
    SixDegree = 6,
}
