namespace GeoMine.Patrol.Obligations;

/// <summary>Where a sealed shaft stands against its patrol interval at a given time.</summary>
public enum PatrolStatus
{
    /// <summary>No visit yet, and not (yet) overdue counted from its responsible person's start.</summary>
    NeverVisited,

    /// <summary>Visited within the interval, not due soon.</summary>
    Ok,

    /// <summary>The next visit falls due within <see cref="PatrolObligationOptions.DueSoon"/>.</summary>
    DueSoon,

    /// <summary>The interval has passed without a visit.</summary>
    Overdue,
}
