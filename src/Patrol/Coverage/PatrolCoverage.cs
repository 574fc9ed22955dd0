namespace GeoMine.Patrol.Coverage;

/// <summary>Coverage of one scope over one period: the figures, each shaft, each track segment.</summary>
/// <param name="Scope">What it is about.</param>
/// <param name="Summary">Totals.</param>
/// <param name="Shafts">Per shaft, by code.</param>
/// <param name="Segments">Track segments, by device then time.</param>
public sealed record PatrolCoverage(
    CoverageScope Scope, CoverageSummary Summary, IReadOnlyList<ShaftCoverage> Shafts, IReadOnlyList<TrackSegment> Segments);
