namespace GeoMine.Patrol.Coverage;

/// <summary>How patrol tracks are cut and measured (configuration section <c>Patrol:Coverage</c>).
/// Lengths in metres, in the CGCS2000 3° Gauss-Krüger zone plane of the tracks.</summary>
public sealed class CoverageOptions
{
    /// <summary>Consecutive fixes of one device further apart than this are not joined: the track is cut
    /// there (phone off, no signal, end of a sortie). Default 10 min.</summary>
    public TimeSpan MaxFixGap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Radius of the buffer around a track segment (half the swath a patroller sees), metres.
    /// Default 25 m, a 50 m wide swath.</summary>
    public double BufferMetres { get; set; } = 25;

    /// <summary>Side of the square grid cells counted as covered when the buffered track touches them, metres.
    /// Cells are aligned on the zone plane's origin (multiples of the side in easting and northing). Default 100 m.</summary>
    public double CellMetres { get; set; } = 100;

    /// <summary>How long one run of the patrol-visits job may spend re-measuring stale track days
    /// (<see cref="TrackDayService"/>); what is left waits for the next run. Default 20 s.</summary>
    public TimeSpan TrackDayBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest period one request may cover (a quarter: monthly and quarterly reports). Default 92 days.</summary>
    public TimeSpan MaxPeriod { get; set; } = TimeSpan.FromDays(92);
}
