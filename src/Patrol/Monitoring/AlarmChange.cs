namespace GeoMine.Patrol.Monitoring;

/// <summary>What an evaluation did to a pond's running alarm episode.</summary>
public enum AlarmChange
{
    /// <summary>Nothing: no episode and nothing to raise.</summary>
    None,

    /// <summary>A new episode was raised.</summary>
    Raised,

    /// <summary>The running episode's severity went up.</summary>
    Escalated,

    /// <summary>The running episode goes on at the same or a lower level (its severity keeps the peak).</summary>
    Extended,

    /// <summary>The running episode ended: everything is back to normal (or silent points report again).</summary>
    Ended,
}
