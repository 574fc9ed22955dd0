namespace GeoMine.Patrol.Obligations;

/// <summary>How often sealed shafts must be patrolled (configuration section <c>Patrol:Obligations</c>).</summary>
public sealed class PatrolObligationOptions
{
    /// <summary>Longest time allowed between two visits of a shaft.</summary>
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Intervals of particular shafts, by shaft code (e.g. a damaged seal patrolled every 3 days).</summary>
    public Dictionary<string, TimeSpan> IntervalByShaft { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A shaft is "due soon" this long before its visit falls due.</summary>
    public TimeSpan DueSoon { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Overdue by this many intervals since the last visit (2: twice the interval), the alarm turns
    /// orange and goes to the lead leader (包保领导).</summary>
    public double EscalateAfterIntervals { get; set; } = 2;

    /// <summary>The interval of shaft <paramref name="code"/>.</summary>
    public TimeSpan IntervalOf(string code) => IntervalByShaft.TryGetValue(code, out var interval) ? interval : DefaultInterval;
}
