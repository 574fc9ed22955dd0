namespace GeoMine.Patrol.Monitoring;

/// <summary>The thresholds of one item at one pond, in <see cref="Unit"/> (the item's canonical unit); <see cref="UpdatedAt"/> UTC.</summary>
public sealed record PondThresholds(string PondCode, string Item, string Unit, MonitoringThresholds Thresholds, DateTime UpdatedAt);
