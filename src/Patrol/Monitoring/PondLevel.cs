namespace GeoMine.Patrol.Monitoring;

/// <summary>One evaluation of a pond: its comprehensive level by <see cref="EscalationLadder"/>, the level of each
/// item that has points, every point, and what happened to its <c>monitoring_level</c> alarm.</summary>
public sealed record PondLevel(
    long PondId, string PondCode, WarningLevel Level, IReadOnlyDictionary<string, WarningLevel> ItemLevels,
    IReadOnlyList<PointLevel> Points, AlarmChange Alarm);
