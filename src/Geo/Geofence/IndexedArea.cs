using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Geofence;

/// <summary>An area prepared for queries: edges flattened (x1 y1 x2 y2 … in degrees), a point locator, or a circle.</summary>
internal sealed class IndexedArea
{
    public IndexedArea(GeofenceArea area)
    {
        Source = area;
        (Id, Kind) = (area.Id, area.Kind);
        if (area.Elevation is { } band)
        {
            (HasBand, LowerMetres, UpperMetres) = (true, band.LowerMetres, band.UpperMetres);
        }

        if (area.Geometry is Point point)
        {
            if (area.RadiusMetres is not > 0)
            {
                throw new ArgumentException($"{area.Kind} {area.Id}: a point area needs a positive radius in metres");
            }

            (CenterX, CenterY, Radius) = (point.X, point.Y, area.RadiusMetres.Value);
            Edges = [];
            return;
        }

        if (area.Geometry is not (Polygon or MultiPolygon) || area.Geometry.IsEmpty)
        {
            throw new ArgumentException($"{area.Kind} {area.Id}: geometry must be a Polygon, MultiPolygon or Point, not {area.Geometry.GeometryType}");
        }

        Locator = new IndexedPointInAreaLocator(area.Geometry);
        var edges = new List<double>();
        for (var g = 0; g < area.Geometry.NumGeometries; g++)
        {
            var polygon = (Polygon)area.Geometry.GetGeometryN(g);
            foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
            {
                var seq = ring.CoordinateSequence;
                for (var i = 0; i + 1 < seq.Count; i++)
                {
                    edges.AddRange([seq.GetX(i), seq.GetY(i), seq.GetX(i + 1), seq.GetY(i + 1)]);
                }
            }
        }

        Edges = [.. edges];
        var chunks = new List<double>();
        for (var start = 0; start < Edges.Length; start += ChunkEdges * 4)
        {
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            for (var i = start; i < Math.Min(Edges.Length, start + (ChunkEdges * 4)); i += 2)
            {
                (minX, maxX) = (Math.Min(minX, Edges[i]), Math.Max(maxX, Edges[i]));
                (minY, maxY) = (Math.Min(minY, Edges[i + 1]), Math.Max(maxY, Edges[i + 1]));
            }

            chunks.AddRange([minX, minY, maxX, maxY]);
        }

        _chunks = [.. chunks];
    }

    private const int ChunkEdges = 8;

    /// <summary>Envelope (min x, min y, max x, max y, degrees) of each run of <see cref="ChunkEdges"/> edges.</summary>
    private readonly double[] _chunks = [];

    /// <summary>True when an edge lies within <paramref name="reachMetres"/> of (px, py); runs of edges whose
    /// envelope is further away are skipped.</summary>
    public bool AnyEdgeWithin(double px, double py, double reachMetres, double kx, double ky)
    {
        var reach2 = reachMetres * reachMetres;
        for (var c = 0; c < _chunks.Length; c += 4)
        {
            var dx = Math.Max(0, Math.Max(_chunks[c] - px, px - _chunks[c + 2])) * kx;
            var dy = Math.Max(0, Math.Max(_chunks[c + 1] - py, py - _chunks[c + 3])) * ky;
            if ((dx * dx) + (dy * dy) > reach2)
            {
                continue;
            }

            var start = c * ChunkEdges;
            for (var i = start; i < Math.Min(Edges.Length, start + (ChunkEdges * 4)); i += 4)
            {
                if (LocalMetricPlane.SegmentDistanceMetres(px, py, Edges[i], Edges[i + 1], Edges[i + 2], Edges[i + 3], kx, ky) <= reachMetres)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public GeofenceArea Source { get; }

    // copied out of Source: the hot path reads them for every hit
    public long Id { get; }

    public GeofenceAreaKind Kind { get; }

    public bool HasBand { get; }

    public double LowerMetres { get; }

    public double UpperMetres { get; }

    public bool IsCircle => Locator is null;

    public IndexedPointInAreaLocator? Locator { get; }

    /// <summary>All ring edges, 4 doubles each, degrees.</summary>
    public double[] Edges { get; }

    public double CenterX { get; }

    public double CenterY { get; }

    public double Radius { get; }

    public ElevationRangeMetres? Band => HasBand ? new ElevationRangeMetres(LowerMetres, UpperMetres) : null;

    public ElevationStatus ElevationOf(double? zMetres)
    {
        if (!HasBand)
        {
            return ElevationStatus.NotApplicable;
        }

        return zMetres switch
        {
            null => ElevationStatus.Unknown,
            var z when z > UpperMetres => ElevationStatus.Above,
            var z when z < LowerMetres => ElevationStatus.Below,
            _ => ElevationStatus.Within,
        };
    }

    /// <summary>Envelope in degrees, circles included.</summary>
    public Envelope Envelope(double marginMetres)
    {
        if (IsCircle)
        {
            var (kx, ky) = LocalMetricPlane.MetresPerDegree(Math.Abs(CenterY) + 0.5);
            var r = Radius + marginMetres;
            return new Envelope(CenterX - (r / kx), CenterX + (r / kx), CenterY - (r / ky), CenterY + (r / ky));
        }

        var e = Source.Geometry.EnvelopeInternal;
        var (kxMin, kyMin) = LocalMetricPlane.MetresPerDegree(Math.Max(Math.Abs(e.MinY), Math.Abs(e.MaxY)));
        return new Envelope(e.MinX - (marginMetres / kxMin), e.MaxX + (marginMetres / kxMin), e.MinY - (marginMetres / kyMin), e.MaxY + (marginMetres / kyMin));
    }
}
