namespace GeoMine.Geo.Geofence;

/// <summary>
/// One cell of the uniform grid: the areas that contain the whole cell grown by the margin (no test
/// needed), the boundary parts crossing it (a local crossing test), the circles reaching it, and, when
/// nothing depends on the position inside the cell or its height, the result itself.
/// </summary>
internal sealed class GridCell(IndexedArea[] inside, BoundaryPart[] boundary, IndexedArea[] circles, double kx, double ky)
{
    public IndexedArea[] Inside { get; } = inside;

    public BoundaryPart[] Boundary { get; } = boundary;

    public IndexedArea[] Circles { get; } = circles;

    /// <summary>Metres per degree of longitude at the cell.</summary>
    public double Kx { get; } = kx;

    /// <summary>Metres per degree of latitude at the cell.</summary>
    public double Ky { get; } = ky;

    /// <summary>The answer for every point of the cell, when it does not depend on the point.</summary>
    public GeofenceResult? Fixed { get; } = boundary.Length == 0 && circles.Length == 0 && inside.All(a => a.Source.Elevation is null)
        ? new GeofenceResult([.. inside.Select(a => new GeofenceHit(a.Id, a.Kind, Containment.Inside, ElevationStatus.NotApplicable))], null)
        : null;
}
