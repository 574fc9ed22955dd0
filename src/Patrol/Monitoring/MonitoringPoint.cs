namespace GeoMine.Patrol.Monitoring;

/// <summary>A registered monitoring point with its latest evaluation. Position in CGCS2000 degrees (EPSG:4490), times UTC,
/// <see cref="LastValue"/> in <see cref="Unit"/> (the item's canonical unit); <see cref="Level"/> null when not rated.</summary>
public sealed record MonitoringPoint(
    long Id, string PondCode, string Code, string Item, string Unit, double? Longitude, double? Latitude, DateTime CreatedAt,
    DateTime? LastMeasuredAt, double? LastValue, string? Level);
