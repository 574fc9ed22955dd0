namespace GeoMine.Geo.Geofence;

/// <summary>A position's height against an area's elevation band (compared strictly, without tolerance).</summary>
public enum ElevationStatus
{
    /// <summary>The area has no elevation band.</summary>
    NotApplicable,

    /// <summary>The area has a band but the position has no height.</summary>
    Unknown,

    /// <summary>Within the band.</summary>
    Within,

    /// <summary>Above the upper limit.</summary>
    Above,

    /// <summary>Below the lower limit (超层).</summary>
    Below,
}
