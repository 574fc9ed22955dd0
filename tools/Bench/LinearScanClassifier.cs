using GeoMine.Geo.Geofence;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// The naive baseline, as Traccar checks geofences: every area for every position, an envelope test
/// first, then point-in-polygon (indexed locator) or a circle distance. No tolerance, so it does less
/// work per candidate than <see cref="GeofenceIndex"/>.
/// </summary>
internal sealed class LinearScanClassifier
{
    private readonly (Envelope Envelope, IPointOnGeometryLocator? Locator, Point? Centre, double Radius)[] _areas;

    public LinearScanClassifier(IReadOnlyList<GeofenceArea> areas)
    {
        _areas = [.. areas.Select(a => a.Geometry is Point p
            ? (Circle(p, a.RadiusMetres ?? 0), null, p, a.RadiusMetres ?? 0)
            : (a.Geometry.EnvelopeInternal, (IPointOnGeometryLocator?)new IndexedPointInAreaLocator(a.Geometry), (Point?)null, 0.0))];
    }

    /// <summary>Number of areas containing the point.</summary>
    public int Count(double lon, double lat)
    {
        var count = 0;
        var c = new Coordinate(lon, lat);
        foreach (var (envelope, locator, centre, radius) in _areas)
        {
            if (!envelope.Contains(lon, lat))
            {
                continue;
            }

            if (locator is not null ? locator.Locate(c) == Location.Interior : Distance(centre!, lon, lat) <= radius)
            {
                count++;
            }
        }

        return count;
    }

    private static Envelope Circle(Point p, double radius)
    {
        var (kx, ky) = LocalMetricPlane.MetresPerDegree(p.Y);
        return new Envelope(p.X - (radius / kx), p.X + (radius / kx), p.Y - (radius / ky), p.Y + (radius / ky));
    }

    private static double Distance(Point p, double lon, double lat)
    {
        var (kx, ky) = LocalMetricPlane.MetresPerDegree(lat);
        return LocalMetricPlane.PointDistanceMetres(lon, lat, p.X, p.Y, kx, ky);
    }
}
