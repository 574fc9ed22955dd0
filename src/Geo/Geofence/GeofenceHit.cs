namespace GeoMine.Geo.Geofence;

/// <summary>A position is inside (or uncertainly near) one area.</summary>
/// <param name="AreaId">Row id of the area.</param>
/// <param name="Kind">Kind of the area.</param>
/// <param name="Containment"><see cref="Containment.Inside"/> or <see cref="Containment.Uncertain"/> (outside areas are not listed).</param>
/// <param name="Elevation">Height against the area's band.</param>
/// <param name="Band">That band (metres), when the area has one: a mining right's block (采区) band, or the right's own.</param>
public readonly record struct GeofenceHit(long AreaId, GeofenceAreaKind Kind, Containment Containment, ElevationStatus Elevation, ElevationRangeMetres? Band = null);
