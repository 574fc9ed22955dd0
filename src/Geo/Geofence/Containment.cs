namespace GeoMine.Geo.Geofence;

/// <summary>Where a position lies relative to an area, given its horizontal accuracy.</summary>
public enum Containment
{
    /// <summary>Outside, further than the accuracy from the boundary.</summary>
    Outside,

    /// <summary>Inside, further than the accuracy from the boundary.</summary>
    Inside,

    /// <summary>Within the accuracy of the boundary (either side): cannot be told.</summary>
    Uncertain,
}
