namespace GeoMine.Patrol.Obligations;

/// <summary>
/// Where one shaft stands against its interval at a given instant — the one rule the overdue job and the
/// coverage figures share. Times UTC. The interval counts from the latest visit, or for a never-visited
/// shaft from the start of its first responsible person (SQL <c>shaft_clock_start</c>: a handover never restarts it).
/// </summary>
/// <param name="Status">Never visited, ok, due soon or overdue.</param>
/// <param name="DueAt">Last visit (else the first responsible person's start) + interval; null when neither is known.</param>
/// <param name="EscalateAt">When an overdue shaft escalates to the lead leader; null when neither is known.</param>
/// <param name="Escalated">Overdue at or past <paramref name="EscalateAt"/>.</param>
public readonly record struct ShaftPatrolRating(PatrolStatus Status, DateTime? DueAt, DateTime? EscalateAt, bool Escalated)
{
    /// <summary>Rates a shaft with patrol <paramref name="interval"/> (<see cref="PatrolObligationOptions.IntervalOf"/>) at
    /// <paramref name="nowUtc"/> given its latest visit up to then and the start of its first responsible person
    /// (<paramref name="firstResponsibleFromUtc"/>; null when nobody has ever answered for it).</summary>
    public static ShaftPatrolRating Of(
        TimeSpan interval, DateTime? lastVisitUtc, DateTime? firstResponsibleFromUtc, DateTime nowUtc, PatrolObligationOptions options)
    {
        var since = lastVisitUtc ?? firstResponsibleFromUtc;
        var due = since + interval;
        var escalateAt = since + (interval * options.EscalateAfterIntervals);
        var status = due is { } d && nowUtc >= d ? PatrolStatus.Overdue
            : lastVisitUtc is null ? PatrolStatus.NeverVisited
            : nowUtc >= due - options.DueSoonWindow(interval) ? PatrolStatus.DueSoon
            : PatrolStatus.Ok;
        return new ShaftPatrolRating(status, due, escalateAt, status == PatrolStatus.Overdue && nowUtc >= escalateAt);
    }
}
