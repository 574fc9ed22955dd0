namespace GeoMine.Patrol.Detection;

/// <summary>What one run of the boundary check did.</summary>
/// <param name="FromExclusive">Receive-time watermark before the run (UTC).</param>
/// <param name="ToInclusive">Receive-time watermark after the run (UTC).</param>
/// <param name="Positions">Positions read.</param>
/// <param name="Raised">New alarm episodes.</param>
/// <param name="Ended">Episodes that ended.</param>
public sealed record BoundaryCheckResult(DateTime FromExclusive, DateTime ToInclusive, long Positions, int Raised, int Ended);
