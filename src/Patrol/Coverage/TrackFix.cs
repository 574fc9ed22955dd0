namespace GeoMine.Patrol.Coverage;

/// <summary>One stored fix of a patrol phone, as coverage reads it.</summary>
/// <param name="TimeUtc">Fix time, UTC.</param>
/// <param name="Longitude">CGCS2000 (EPSG:4490) longitude, degrees.</param>
/// <param name="Latitude">CGCS2000 latitude, degrees.</param>
public readonly record struct TrackFix(DateTime TimeUtc, double Longitude, double Latitude);
