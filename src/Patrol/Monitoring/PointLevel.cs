namespace GeoMine.Patrol.Monitoring;

/// <summary>A monitoring point's newest reading (UTC, canonical unit) and the level it reaches; <see cref="Level"/> is
/// null when the pond has no thresholds for the point's item or the point has never reported.</summary>
public sealed record PointLevel(
    long PointId, string Code, string Item, DateTime? MeasuredAtUtc, double? Value, WarningLevel? Level, MonitoringThresholds? Thresholds);
