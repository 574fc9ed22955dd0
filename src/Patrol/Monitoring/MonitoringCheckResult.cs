namespace GeoMine.Patrol.Monitoring;

/// <summary>One monitoring check at <paramref name="AtUtc"/>: every pond with points re-rated, the points silent for too long,
/// and the alarm changes it made (level and stale alarms together).</summary>
public sealed record MonitoringCheckResult(
    DateTime AtUtc, IReadOnlyList<PondLevel> Ponds, IReadOnlyList<SilentPoint> SilentPoints, int Raised, int Escalated, int Ended);
