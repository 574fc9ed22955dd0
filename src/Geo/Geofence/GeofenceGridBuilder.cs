using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Geofence;

/// <summary>Builds the grid cells of <see cref="GeofenceIndex"/> (see there for the idea).</summary>
internal sealed class GeofenceGridBuilder(double cellDegrees, double marginMetres)
{
    private readonly Dictionary<long, (List<IndexedArea> Inside, List<BoundaryPart> Boundary, List<IndexedArea> Circles)> _cells = new(CellKeyComparer.Instance);

    public static long Key(int ix, int iy) => ((long)ix << 32) | (uint)iy;

    public void Add(IndexedArea area)
    {
        var env = area.Envelope(marginMetres);
        var (ix0, iy0) = Cell(env.MinX, env.MinY);
        var (ix1, iy1) = Cell(env.MaxX, env.MaxY);
        if (area.IsCircle)
        {
            for (var ix = ix0; ix <= ix1; ix++)
            {
                for (var iy = iy0; iy <= iy1; iy++)
                {
                    var (kx, ky) = LocalMetricPlane.MetresPerDegree((iy + 0.5) * cellDegrees);
                    var nx = Math.Clamp(area.CenterX, ix * cellDegrees, (ix + 1) * cellDegrees);
                    var ny = Math.Clamp(area.CenterY, iy * cellDegrees, (iy + 1) * cellDegrees);
                    if (LocalMetricPlane.PointDistanceMetres(nx, ny, area.CenterX, area.CenterY, kx, ky) <= area.Radius + marginMetres)
                    {
                        Get(ix, iy).Circles.Add(area);
                    }
                }
            }

            return;
        }

        var (kxMin, kyMin) = LocalMetricPlane.MetresPerDegree(Math.Max(Math.Abs(env.MinY), Math.Abs(env.MaxY)));
        var (mx, my) = (marginMetres / kxMin, marginMetres / kyMin);
        var edgesByCell = new Dictionary<long, List<int>>(CellKeyComparer.Instance);
        var e = area.Edges;
        for (var i = 0; i < e.Length; i += 4)
        {
            var (ex0, ey0) = Cell(Math.Min(e[i], e[i + 2]) - mx, Math.Min(e[i + 1], e[i + 3]) - my);
            var (ex1, ey1) = Cell(Math.Max(e[i], e[i + 2]) + mx, Math.Max(e[i + 1], e[i + 3]) + my);
            for (var ix = ex0; ix <= ex1; ix++)
            {
                for (var iy = ey0; iy <= ey1; iy++)
                {
                    if (SegmentMeetsRectangle(e[i], e[i + 1], e[i + 2], e[i + 3],
                            (ix * cellDegrees) - mx, (iy * cellDegrees) - my, ((ix + 1) * cellDegrees) + mx, ((iy + 1) * cellDegrees) + my))
                    {
                        var key = Key(ix, iy);
                        if (!edgesByCell.TryGetValue(key, out var list))
                        {
                            edgesByCell[key] = list = [];
                        }

                        list.Add(i);
                    }
                }
            }
        }

        for (var ix = ix0; ix <= ix1; ix++)
        {
            for (var iy = iy0; iy <= iy1; iy++)
            {
                if (edgesByCell.TryGetValue(Key(ix, iy), out var edgeIndices))
                {
                    var (rx, ry, inside) = ReferencePoint(area, ix, iy);
                    var edges = edgeIndices.SelectMany(j => new[] { e[j], e[j + 1], e[j + 2], e[j + 3] }).ToArray();
                    Get(ix, iy).Boundary.Add(new BoundaryPart(area, rx, ry, inside, edges));
                }
                else if (area.Locator!.Locate(new Coordinate((ix + 0.5) * cellDegrees, (iy + 0.5) * cellDegrees)) == Location.Interior)
                {
                    Get(ix, iy).Inside.Add(area);
                }
            }
        }
    }

    public Dictionary<long, GridCell> Build()
    {
        var shared = new Dictionary<string, GridCell>();
        var result = new Dictionary<long, GridCell>(_cells.Count, CellKeyComparer.Instance);
        foreach (var (key, c) in _cells)
        {
            var iy = (int)(uint)key;
            var (kx, ky) = LocalMetricPlane.MetresPerDegree((iy + 0.5) * cellDegrees);
            if (c.Boundary.Count == 0 && c.Circles.Count == 0)
            {
                // cells wholly inside the same areas share one object (their scale differs by < 1e-5 over an area); the band is part
                // of the signature, since a mining right's blocks are areas of the same id with their own bands
                var signature = string.Join(',', c.Inside.Select(a => FormattableString.Invariant($"{(int)a.Kind}:{a.Id}:{a.Band}")));
                if (!shared.TryGetValue(signature, out var cell))
                {
                    shared[signature] = cell = new GridCell([.. c.Inside], [], [], kx, ky);
                }

                result[key] = cell;
                continue;
            }

            result[key] = new GridCell([.. c.Inside], [.. c.Boundary], [.. c.Circles], kx, ky);
        }

        return result;
    }

    public (int Ix, int Iy) Cell(double lon, double lat) =>
        ((int)Math.Floor(lon / cellDegrees), (int)Math.Floor(lat / cellDegrees));

    private (List<IndexedArea> Inside, List<BoundaryPart> Boundary, List<IndexedArea> Circles) Get(int ix, int iy)
    {
        var key = Key(ix, iy);
        if (!_cells.TryGetValue(key, out var cell))
        {
            _cells[key] = cell = ([], [], []);
        }

        return cell;
    }

    /// <summary>A point of the cell that is not on the area's boundary, and whether it is inside.</summary>
    private (double X, double Y, bool Inside) ReferencePoint(IndexedArea area, int ix, int iy)
    {
        for (var attempt = 0; ; attempt++)
        {
            // centre first, then points spread over the cell (a boundary through all of them is impossible)
            var fx = attempt == 0 ? 0.5 : ((attempt * 0.618034) % 1.0 * 0.9) + 0.05;
            var fy = attempt == 0 ? 0.5 : ((attempt * 0.414214) % 1.0 * 0.9) + 0.05;
            var x = (ix + fx) * cellDegrees;
            var y = (iy + fy) * cellDegrees;
            var location = area.Locator!.Locate(new Coordinate(x, y));
            if (location != Location.Boundary)
            {
                return (x, y, location == Location.Interior);
            }
        }
    }

    /// <summary>Liang-Barsky: does segment (x0,y0)-(x1,y1) meet the rectangle?</summary>
    private static bool SegmentMeetsRectangle(double x0, double y0, double x1, double y1, double minX, double minY, double maxX, double maxY)
    {
        double t0 = 0, t1 = 1;
        double dx = x1 - x0, dy = y1 - y0;
        ReadOnlySpan<double> p = [-dx, dx, -dy, dy];
        ReadOnlySpan<double> q = [x0 - minX, maxX - x0, y0 - minY, maxY - y0];
        for (var i = 0; i < 4; i++)
        {
            if (p[i] == 0)
            {
                if (q[i] < 0)
                {
                    return false;
                }

                continue;
            }

            var t = q[i] / p[i];
            if (p[i] < 0)
            {
                t0 = Math.Max(t0, t);
            }
            else
            {
                t1 = Math.Min(t1, t);
            }

            if (t0 > t1)
            {
                return false;
            }
        }

        return true;
    }
}
