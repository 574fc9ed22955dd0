namespace GeoMine.Patrol.Coverage;

/// <summary>A stretch of one device's track with no gap longer than <see cref="CoverageOptions.MaxFixGap"/>,
/// within one China calendar day. Times UTC.</summary>
/// <param name="DeviceKey">The device's identifier.</param>
/// <param name="Person">Its owner (registered person, else the owner name), if known.</param>
/// <param name="Fixes">The fixes in time order, at least two.</param>
/// <param name="Metres">Geodesic length on the CGCS2000 ellipsoid, metres (PostGIS, geography).</param>
public sealed record TrackSegment(string DeviceKey, string? Person, IReadOnlyList<TrackFix> Fixes, double Metres)
{
    /// <summary>First fix time.</summary>
    public DateTime StartUtc => Fixes[0].TimeUtc;

    /// <summary>Last fix time.</summary>
    public DateTime EndUtc => Fixes[^1].TimeUtc;

    /// <summary>Time on patrol: last fix minus first.</summary>
    public TimeSpan Duration => EndUtc - StartUtc;
}
