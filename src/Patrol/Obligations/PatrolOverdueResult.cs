namespace GeoMine.Patrol.Obligations;

/// <summary>One evaluation of every sealed shaft at <paramref name="AtUtc"/>, and the alarm changes it made.</summary>
public sealed record PatrolOverdueResult(
    DateTime AtUtc, IReadOnlyList<ShaftPatrolState> Shafts, int Raised, int Escalated, int Ended);
