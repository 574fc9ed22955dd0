namespace GeoMine.Patrol.Visits;

/// <summary>What counts as a patrol visit (configuration section <c>Patrol:Visits</c>). Distances in metres.</summary>
public sealed class VisitOptions
{
    /// <summary>A patrol phone closer than this to a sealed shaft (geodesic distance) is at the shaft…</summary>
    public double RadiusMetres { get; set; } = 50;

    /// <summary>…widened by the fix's reported accuracy, but by no more than this: a fix good to only
    /// 300 m does not prove anyone stood at the shaft.</summary>
    public double MaxAccuracyWideningMetres { get; set; } = 30;

    /// <summary>A visit lasts at least this long from its first to its last fix at the shaft.</summary>
    public TimeSpan MinDwell { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Consecutive fixes further apart than this break a visit (phone off, no signal).</summary>
    public TimeSpan MaxFixGap { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The job rescans a device from this long before its earliest new fix, so a visit that
    /// began before the new fixes arrived is found whole.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Positions received less than this long ago are left for the next run (commits in flight).</summary>
    public TimeSpan CommitLag { get; set; } = TimeSpan.FromSeconds(10);
}
