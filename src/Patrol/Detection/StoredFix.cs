namespace GeoMine.Patrol.Detection;

/// <summary>A stored position as the rules read it: EPSG:4490 degrees, metres, UTC.</summary>
public readonly record struct StoredFix(long DeviceId, DateTime Time, double Longitude, double Latitude, double? AltitudeMetres, double? AccuracyMetres);
