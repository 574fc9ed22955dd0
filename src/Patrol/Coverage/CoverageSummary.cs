namespace GeoMine.Patrol.Coverage;

/// <summary>Coverage figures of one scope over [<paramref name="FromUtc"/>, <paramref name="ToUtc"/>).</summary>
/// <param name="FromUtc">Period start, UTC, inclusive.</param>
/// <param name="ToUtc">Period end, UTC, exclusive.</param>
/// <param name="Shafts">Sealed shafts in scope.</param>
/// <param name="VisitedWithinInterval">Of those, the shafts never overdue during the period.</param>
/// <param name="Devices">Patrol phones counted.</param>
/// <param name="Segments">Track segments (see <see cref="TrackSplitter"/>).</param>
/// <param name="Kilometres">Geodesic length of the segments, km.</param>
/// <param name="Hours">Time within the segments, hours.</param>
/// <param name="BufferedAreaKm2">Area of the union of the segments buffered by <paramref name="BufferMetres"/>, km², in the plane of EPSG <paramref name="PlaneEpsg"/>;
/// null unless asked for (<see cref="CoverageDetail.ExactArea"/>).</param>
/// <param name="Cells">Grid cells of side <paramref name="CellMetres"/> in that plane the buffered track touches.</param>
/// <param name="BufferMetres">Buffer radius, metres.</param>
/// <param name="CellMetres">Cell side, metres.</param>
/// <param name="PlaneEpsg">CGCS2000 3° Gauss-Krüger zone (EPSG:4534-4554, no zone prefix) of the tracks' mean longitude; null without tracks.</param>
public sealed record CoverageSummary(
    DateTime FromUtc,
    DateTime ToUtc,
    int Shafts,
    int VisitedWithinInterval,
    int Devices,
    int Segments,
    double Kilometres,
    double Hours,
    double? BufferedAreaKm2,
    int Cells,
    double BufferMetres,
    double CellMetres,
    int? PlaneEpsg)
{
    /// <summary>Share of shafts visited within their interval, percent; null when the scope has no shaft.</summary>
    public double? VisitedWithinIntervalPercent => Shafts == 0 ? null : 100.0 * VisitedWithinInterval / Shafts;

    /// <summary>Area of the covered cells, km².</summary>
    public double CellsKm2 => Cells * CellMetres * CellMetres / 1e6;
}
