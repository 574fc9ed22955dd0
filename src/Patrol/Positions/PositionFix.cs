namespace GeoMine.Patrol.Positions;

/// <summary>
/// One fix as a device reported it, parsed but not yet filtered. Longitude/latitude in degrees in
/// the device's own coordinate system (WGS84, or GCJ-02 for devices marked so; corrected on ingest).
/// </summary>
/// <param name="DeviceKey">The identifier the device sends (Traccar <c>id</c> / <c>device_id</c>).</param>
/// <param name="FixTimeUtc">When the fix was taken, UTC.</param>
/// <param name="Longitude">Degrees east.</param>
/// <param name="Latitude">Degrees north.</param>
/// <param name="AltitudeMetres">Height in metres, or null when the device sent none (never 0 for "unknown").</param>
/// <param name="AccuracyMetres">Horizontal accuracy radius in metres, or null.</param>
/// <param name="SpeedMetresPerSecond">Speed in m/s (Traccar's query parameter is in knots: convert first).</param>
/// <param name="BearingDegrees">Course over ground, degrees clockwise from north.</param>
/// <param name="BatteryPercent">Battery level 0–100.</param>
/// <param name="Source">Which feed: osmand, traccar-json, batch, gpx, csv.</param>
public sealed record PositionFix(
    string DeviceKey,
    DateTime FixTimeUtc,
    double Longitude,
    double Latitude,
    double? AltitudeMetres,
    double? AccuracyMetres,
    double? SpeedMetresPerSecond,
    double? BearingDegrees,
    double? BatteryPercent,
    string Source);
