namespace GeoMine.Patrol.Positions;

/// <summary>Limits applied to fixes before storage (section <c>Positions</c> of the configuration).</summary>
public sealed class PositionFilterOptions
{
    /// <summary>Fixes with an accuracy radius above this many metres are refused.</summary>
    public double MaxAccuracyMetres { get; set; } = 150;

    /// <summary>How far in the future a fix time may be (device clocks drift, time zones get mixed up).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Highest believable speed per device kind, m/s, judged from the previous fix.
    /// Equipment travels on lowboy trailers, so its limit is a truck's.</summary>
    public Dictionary<string, double> MaxSpeedMetresPerSecond { get; set; } = new()
    {
        ["patrol_phone"] = 55,
        ["vehicle"] = 55,
        ["equipment"] = 35,
        ["underground_tag"] = 10,
        ["unknown"] = 70,
    };

    /// <summary>Below this time between two fixes the implied speed is not judged (GPS jitter).</summary>
    public TimeSpan MinIntervalForSpeedCheck { get; set; } = TimeSpan.FromSeconds(1);
}
