namespace GeoMine.Patrol.Alarms;

/// <summary>An alarm's object on the map: its code (shaft, mine, pond code or licence number) and a point on it,
/// CGCS2000 (EPSG:4490) longitude and latitude in degrees.</summary>
public sealed record AlarmPlace(string Code, double Longitude, double Latitude);
