namespace GeoMine.Patrol.Monitoring;

/// <summary>A point with no reading measured for longer than allowed: its newest reading's time (UTC; null: never read),
/// and since when it counts as silent (that time, or its registration, plus the allowed silence).</summary>
public sealed record SilentPoint(string PondCode, string Code, string Item, DateTime? LastMeasuredAtUtc, DateTime SilentSinceUtc);
