namespace GeoMine.Patrol.Coverage;

/// <summary>A stretch of one device's track with no gap longer than <see cref="CoverageOptions.MaxFixGap"/>,
/// within one China calendar day. Times UTC.</summary>
/// <param name="DeviceKey">The device's identifier.</param>
/// <param name="Person">Its owner (registered person, else the owner name), if known.</param>
/// <param name="StartUtc">First fix time.</param>
/// <param name="EndUtc">Last fix time.</param>
/// <param name="FixCount">Fixes in the stretch, at least two.</param>
/// <param name="Metres">Geodesic length on the CGCS2000 ellipsoid, metres (PostGIS, geography).</param>
public sealed record TrackSegment(string DeviceKey, string? Person, DateTime StartUtc, DateTime EndUtc, int FixCount, double Metres)
{
    /// <summary>Time on patrol: last fix minus first.</summary>
    public TimeSpan Duration => EndUtc - StartUtc;

    /// <summary>The fixes in time order when they were asked for (<see cref="CoverageDetail.Tracks"/>); else empty.</summary>
    public IReadOnlyList<TrackFix> Fixes { get; init; } = [];
}
