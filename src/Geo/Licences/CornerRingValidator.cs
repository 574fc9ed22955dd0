using System.Globalization;
using GeoMine.Geo.Crs;
using GeoMine.Geo.Storage;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Licences;

/// <summary>
/// Checks one ring of corner points and returns it as a closed ring in the Gauss-Kruger plane
/// (x = easting, y = northing, metres, as written), or null after adding the problems: fewer than 3
/// points, a point repeating the previous one, a point outside its zone, edges crossing each other.
/// </summary>
public static class CornerRingValidator
{
    /// <summary>Points may lie this far (degrees of longitude) beyond the zone edge: a block that straddles an
    /// edge is kept in one zone. Anything further is a wrong zone or a mistyped easting.</summary>
    public const double ZoneEdgeMarginDegrees = 0.5;

    /// <summary>Validates <paramref name="ring"/> against the zone of <paramref name="projection"/>.</summary>
    public static LinearRing? Validate(CornerRing ring, GaussKrugerProjection projection, List<LicenceProblem> errors)
    {
        var before = errors.Count;
        var points = ring.Points;
        var where = $"ring ending at line {ring.EndLine}{(ring.BlockName is null ? "" : $" ({ring.BlockName})")}";
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].NorthingMetres == points[i - 1].NorthingMetres && points[i].EastingMetres == points[i - 1].EastingMetres)
            {
                errors.Add(new LicenceProblem(points[i].LineNumber,
                    $"point {points[i].Label} repeats point {points[i - 1].Label} (line {points[i - 1].LineNumber}): duplicate consecutive corner point"));
            }
        }

        if (points.Count < 3)
        {
            errors.Add(new LicenceProblem(ring.EndLine, $"{where}: {points.Count} corner point(s); a ring needs at least 3"));
            return null;
        }

        var zone = projection.Zone;
        foreach (var p in points)
        {
            var (lon, lat) = projection.Inverse(p.EastingMetres, p.NorthingMetres);
            if (Math.Abs(lon - zone.CentralMeridianDegrees) > zone.HalfWidthDegrees + ZoneEdgeMarginDegrees || lat is < 0 or > 60)
            {
                errors.Add(new LicenceProblem(p.LineNumber, string.Create(CultureInfo.InvariantCulture,
                    $"point {p.Label} (X {p.NorthingMetres:0.###}, Y {p.EastingMetres:0.###}) lies at {lon:0.####}°E {lat:0.####}°N, outside {zone} ({zone.CentralMeridianDegrees - zone.HalfWidthDegrees}°E-{zone.CentralMeridianDegrees + zone.HalfWidthDegrees}°E): wrong zone, or a mistyped easting")));
            }
        }

        if (errors.Count == before)
        {
            CheckCrossings(points, where, errors);
        }

        if (errors.Count > before)
        {
            return null;
        }

        var coordinates = points.Select(p => new Coordinate(p.EastingMetres, p.NorthingMetres)).Append(new Coordinate(points[0].EastingMetres, points[0].NorthingMetres));
        return GeometryWkb.Factory.CreateLinearRing([.. coordinates]);
    }

    private static void CheckCrossings(IReadOnlyList<CornerPoint> points, string where, List<LicenceProblem> errors)
    {
        var n = points.Count;
        var intersector = new RobustLineIntersector();
        Coordinate C(int i) => new(points[i % n].EastingMetres, points[i % n].NorthingMetres);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var adjacent = j == i + 1 || (i == 0 && j == n - 1);
                intersector.ComputeIntersection(C(i), C(i + 1), C(j), C(j + 1));
                var crossing = adjacent ? intersector.IntersectionNum == 2 : intersector.HasIntersection;
                if (crossing)
                {
                    var a = points[i];
                    var b = points[(i + 1) % n];
                    var c = points[j];
                    var d = points[(j + 1) % n];
                    errors.Add(new LicenceProblem(c.LineNumber,
                        $"{where} intersects itself: edge {a.Label}-{b.Label} (lines {a.LineNumber}-{b.LineNumber}) meets edge {c.Label}-{d.Label} (lines {c.LineNumber}-{d.LineNumber})"));
                    return;
                }
            }
        }
    }
}
