namespace GeoMine.Patrol.Positions;

/// <summary>Why a well-formed fix was not stored. Each is counted (see <c>positions stats</c>).</summary>
public enum RejectionReason
{
    /// <summary>Latitude outside ±90° or longitude outside ±180°, or not a number.</summary>
    OutOfRange,

    /// <summary>Exactly (0, 0): a receiver without a fix.</summary>
    ZeroCoordinates,

    /// <summary>Fix time more than the allowed skew (default 24 h) in the future.</summary>
    FutureTime,

    /// <summary>Same device and fix time as a stored fix (an idempotent re-send).</summary>
    Duplicate,

    /// <summary>Accuracy radius worse than the configured limit.</summary>
    PoorAccuracy,

    /// <summary>Implied speed from the device's previous fix impossible for its kind.</summary>
    ImpossibleSpeed,

    /// <summary>The device is registered but disabled.</summary>
    DisabledDevice,

    /// <summary>The device requires an ingest token and the request had a wrong or no token.</summary>
    BadToken,

    /// <summary>Fix time before the configured floor (default 2000-01-01).</summary>
    TooOld,

    /// <summary>A device id never registered, refused (<c>Positions:UnknownDevices = refuse</c>, or over the hourly cap of new ids).</summary>
    UnknownDevice,
}
