namespace GeoMine.Geo.Geofence;

/// <summary>
/// One cell of the uniform grid: the areas that contain the whole cell grown by the margin (no test
/// needed), the boundary parts crossing it (a local crossing test), the circles reaching it, and, when
/// nothing depends on the position inside the cell, the result itself (per height case).
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

    /// <summary>The answer for every point of a cell with no boundary or circle in reach, for a height
    /// within every band (or no bands); null for other cells.</summary>
    public GeofenceResult? WithinBands { get; } = Precompute(inside, boundary, circles, a => a.Source.Elevation is null ? ElevationStatus.NotApplicable : ElevationStatus.Within);

    /// <summary>The same for a position without height.</summary>
    public GeofenceResult? NoHeight { get; } = Precompute(inside, boundary, circles, a => a.Source.Elevation is null ? ElevationStatus.NotApplicable : ElevationStatus.Unknown);

    /// <summary>The precomputed answer for height <paramref name="zMetres"/>, or null when it must be computed.</summary>
    public GeofenceResult? Fixed(double? zMetres)
    {
        if (WithinBands is null)
        {
            return null;
        }

        if (zMetres is not { } z)
        {
            return NoHeight;
        }

        foreach (var area in Inside)
        {
            if (area.HasBand && (z < area.LowerMetres || z > area.UpperMetres))
            {
                return null;
            }
        }

        return WithinBands;
    }

    private static GeofenceResult? Precompute(IndexedArea[] inside, BoundaryPart[] boundary, IndexedArea[] circles, Func<IndexedArea, ElevationStatus> elevation) =>
        boundary.Length == 0 && circles.Length == 0
            ? inside.Length == 0 ? GeofenceResult.Empty : new GeofenceResult([.. inside.Select(a => new GeofenceHit(a.Id, a.Kind, Containment.Inside, elevation(a), a.Band))], null)
            : null;
}
