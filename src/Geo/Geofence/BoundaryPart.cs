namespace GeoMine.Geo.Geofence;

/// <summary>
/// The part of an area's boundary near one grid cell: every edge within the margin of the cell, and a
/// reference point inside the cell whose inside/outside state is known. A point P of the cell is inside
/// when the segment reference→P crosses these edges an odd number of times and the reference is outside
/// (or an even number and it is inside): every edge that segment can cross lies in the cell.
/// </summary>
internal sealed class BoundaryPart(IndexedArea area, double referenceX, double referenceY, bool referenceInside, double[] edges)
{
    public IndexedArea Area { get; } = area;

    /// <summary>Uncertain when an edge is within <paramref name="accuracyMetres"/>, else inside or outside.</summary>
    public Containment Classify(double px, double py, double accuracyMetres, double kx, double ky)
    {
        var e = edges;
        var crossings = 0;
        var accuracy2 = accuracyMetres * accuracyMetres;
        for (var i = 0; i < e.Length; i += 4)
        {
            double ax = e[i], ay = e[i + 1], bx = e[i + 2], by = e[i + 3];
            if (LocalMetricPlane.SegmentDistanceSquaredMetres(px, py, ax, ay, bx, by, kx, ky) <= accuracy2)
            {
                return Containment.Uncertain;
            }

            // half-open rule: a point exactly on a line counts as being on its negative side
            var sa = Orient(referenceX, referenceY, px, py, ax, ay) > 0;
            var sb = Orient(referenceX, referenceY, px, py, bx, by) > 0;
            if (sa != sb && (Orient(ax, ay, bx, by, referenceX, referenceY) > 0) != (Orient(ax, ay, bx, by, px, py) > 0))
            {
                crossings++;
            }
        }

        return referenceInside ^ ((crossings & 1) == 1) ? Containment.Inside : Containment.Outside;
    }

    private static double Orient(double ax, double ay, double bx, double by, double cx, double cy) =>
        ((bx - ax) * (cy - ay)) - ((by - ay) * (cx - ax));
}
