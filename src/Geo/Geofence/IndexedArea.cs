using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Geofence;

/// <summary>An area prepared for queries: edges flattened (x1 y1 x2 y2 … in degrees), a point locator, or a circle.</summary>
internal sealed class IndexedArea
{
    public IndexedArea(GeofenceArea area)
    {
        Source = area;
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
    }

    public GeofenceArea Source { get; }

    public long Id => Source.Id;

    public GeofenceAreaKind Kind => Source.Kind;

    public bool IsCircle => Locator is null;

    public IndexedPointInAreaLocator? Locator { get; }

    /// <summary>All ring edges, 4 doubles each, degrees.</summary>
    public double[] Edges { get; }

    public double CenterX { get; }

    public double CenterY { get; }

    public double Radius { get; }

    public ElevationStatus ElevationOf(double? zMetres)
    {
        if (Source.Elevation is not { } band)
        {
            return ElevationStatus.NotApplicable;
        }

        return zMetres switch
        {
            null => ElevationStatus.Unknown,
            var z when z > band.UpperMetres => ElevationStatus.Above,
            var z when z < band.LowerMetres => ElevationStatus.Below,
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
