namespace GeoMine.Patrol.Obligations;

/// <summary>One run of the overdue job at <paramref name="AtUtc"/>, and the alarm changes it made.</summary>
/// <param name="AtUtc">The run's "now".</param>
/// <param name="Full">Every shaft was re-rated (first run, other settings, a run earlier than the last, or asked to).</param>
/// <param name="Shafts">The shafts this run re-rated: every shaft when <paramref name="Full"/>, else those whose rating can have changed.</param>
/// <param name="Totals">Every shaft's status after the run, counted by status.</param>
/// <param name="Raised">Episodes opened.</param>
/// <param name="Escalated">Episodes escalated to the lead leader.</param>
/// <param name="Ended">Episodes ended.</param>
public sealed record PatrolOverdueResult(
    DateTime AtUtc, bool Full, IReadOnlyList<ShaftPatrolState> Shafts, IReadOnlyDictionary<PatrolStatus, int> Totals, int Raised, int Escalated, int Ended)
{
    /// <summary>Every shaft, counted.</summary>
    public int TotalShafts => Totals.Values.Sum();
}
