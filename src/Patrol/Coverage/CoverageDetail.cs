namespace GeoMine.Patrol.Coverage;

/// <summary>What coverage computes beyond its figures, tables and segment list.</summary>
[Flags]
public enum CoverageDetail
{
    /// <summary>Figures from the stored track days: km, hours, cells; no fix coordinates, no exact swath area.</summary>
    None = 0,

    /// <summary>Each segment's fixes (for drawing the tracks): reads every fix of the period.</summary>
    Tracks = 1,

    /// <summary>The area of the union of the buffered segments (<see cref="CoverageSummary.BufferedAreaKm2"/>): a polygon
    /// union over the whole period, seconds for a town-month.</summary>
    ExactArea = 2,
}
