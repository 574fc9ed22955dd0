namespace GeoMine.Patrol.Positions;

/// <summary>Limits applied to fixes before storage (section <c>Positions</c> of the configuration).</summary>
public sealed class PositionFilterOptions
{
    /// <summary>Fixes with an accuracy radius above this many metres are refused.</summary>
    public double MaxAccuracyMetres { get; set; } = 150;

    /// <summary>Fixes timed before this instant (UTC) are refused and counted (<c>too_old</c>): a phone with a reset clock
    /// reports 1970 or 1980, and every month of fix time is a partition of <c>position</c>.</summary>
    public DateTime MinFixTimeUtc { get; set; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>What to do with fixes from device ids never registered: <c>keep</c> (stored as unknown-device activity: an
    /// unknown device at a closed mine is evidence) or <c>refuse</c> (counted as <c>unknown_device</c>, as Traccar's
    /// <c>database.registerUnknown=false</c>).</summary>
    public string UnknownDevices { get; set; } = "keep";

    /// <summary>With <c>keep</c>: at most this many new device ids are registered per client address and hour (per app node);
    /// fixes of further new ids are refused and counted as <c>unknown_device</c>.</summary>
    public int MaxNewUnknownDevicesPerAddressPerHour { get; set; } = 100;

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
