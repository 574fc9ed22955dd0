namespace GeoMine.Geo.Geofence;

/// <summary>A licensed elevation band (开采标高), metres above the 1985 national height datum, lower ≤ upper.</summary>
/// <param name="LowerMetres">Lowest licensed elevation, metres.</param>
/// <param name="UpperMetres">Highest licensed elevation, metres.</param>
public readonly record struct ElevationRangeMetres(double LowerMetres, double UpperMetres);
