namespace GeoMine.Geo.Geofence;

/// <summary>The nearest sealed shaft whose protection circle reaches the position (within the accuracy).</summary>
/// <param name="ShaftId">sealed_shaft id.</param>
/// <param name="DistanceMetres">Distance from the position to the shaft, metres (local plane, see <see cref="GeofenceIndex"/>).</param>
/// <param name="RadiusMetres">The shaft's protection radius, metres.</param>
public readonly record struct ShaftDistance(long ShaftId, double DistanceMetres, double RadiusMetres);
