using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GeoMine.Geo.Geofence;

/// <summary>
/// Immutable in-memory index answering, for a position (longitude, latitude in degrees, EPSG:4490 or
/// WGS84; optional height in metres, 1985 heights) with a horizontal accuracy in metres: which areas
/// contain it (<see cref="Containment.Inside"/>), which boundaries are within the accuracy
/// (<see cref="Containment.Uncertain"/>), its height against each area's band, and the nearest sealed
/// shaft whose circle reaches it. Polygons with holes and MultiPolygons are handled.
/// <para>
/// How: a uniform grid of square cells (in degrees, <c>cellMetres</c> of latitude) is pre-classified per
/// area against each cell grown by <c>maxAccuracyMetres</c>: wholly inside (no test at query time),
/// wholly outside (not stored), or boundary (only the few edges near the cell are tested, by a crossing
/// count from a reference point of the cell with known state). A per-device cache keeps each device's
/// last cell, since a device's positions arrive in time order and mostly stay put. Positions whose
/// accuracy exceeds <c>maxAccuracyMetres</c> take the exact path: an STRtree of the areas, a point
/// locator and all edges of each candidate.
/// </para>
/// <para>
/// Distances are measured in a local equirectangular plane at the cell (see <see cref="LocalMetricPlane"/>):
/// error under 2 mm at 100 m and 1 cm at 500 m. Heights are compared with the bands without tolerance.
/// Thread-safe; build a new index and swap it with <see cref="GeofenceIndexHolder"/> when boundaries change.
/// </para>
/// </summary>
public sealed class GeofenceIndex
{
    private readonly Dictionary<long, GridCell> _cells;
    private readonly double _inverseCellDegrees;
    private readonly STRtree<IndexedArea> _tree = new();
    private readonly ConcurrentDictionary<string, DeviceCell> _devices = new(StringComparer.Ordinal);

    private GeofenceIndex(IReadOnlyList<IndexedArea> areas, double cellMetres, double maxAccuracyMetres)
    {
        AreaCount = areas.Count;
        MaxAccuracyMetres = maxAccuracyMetres;
        var cellDegrees = cellMetres / 111_000.0;
        _inverseCellDegrees = 1 / cellDegrees;
        var builder = new GeofenceGridBuilder(cellDegrees, maxAccuracyMetres);
        foreach (var area in areas)
        {
            builder.Add(area);
            _tree.Insert(area.Envelope(0), area);
        }

        _tree.Build();
        _cells = builder.Build();
    }

    /// <summary>Number of areas indexed.</summary>
    public int AreaCount { get; }

    /// <summary>Number of grid cells stored.</summary>
    public int CellCount => _cells.Count;

    /// <summary>Positions with a worse accuracy (metres) take the slower exact path.</summary>
    public double MaxAccuracyMetres { get; }

    /// <summary>Builds an index over <paramref name="areas"/>.</summary>
    /// <param name="areas">The areas; geometries in EPSG:4490.</param>
    /// <param name="cellMetres">Grid cell size, metres of latitude (cells are as many degrees wide).</param>
    /// <param name="maxAccuracyMetres">Largest accuracy served by the grid, metres.</param>
    public static GeofenceIndex Build(IEnumerable<GeofenceArea> areas, double cellMetres = 200, double maxAccuracyMetres = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellMetres);
        ArgumentOutOfRangeException.ThrowIfNegative(maxAccuracyMetres);
        return new GeofenceIndex([.. areas.Select(a => new IndexedArea(a))], cellMetres, maxAccuracyMetres);
    }

    /// <summary>Classifies one position.</summary>
    /// <param name="deviceId">Device the position comes from (enables the per-device cell cache), or null.</param>
    /// <param name="longitude">Longitude, degrees (EPSG:4490 / WGS84).</param>
    /// <param name="latitude">Latitude, degrees.</param>
    /// <param name="heightMetres">Height, metres (1985 heights), or null.</param>
    /// <param name="accuracyMetres">Horizontal accuracy (GPS radius), metres; 0 for an exact point.</param>
    public GeofenceResult Classify(string? deviceId, double longitude, double latitude, double? heightMetres, double accuracyMetres)
    {
        if (!(accuracyMetres <= MaxAccuracyMetres) || !double.IsFinite(longitude) || !double.IsFinite(latitude))
        {
            return ClassifyExact(longitude, latitude, heightMetres, accuracyMetres);
        }

        var ix = (int)Math.Floor(longitude * _inverseCellDegrees);
        var iy = (int)Math.Floor(latitude * _inverseCellDegrees);
        var key = GeofenceGridBuilder.Key(ix, iy);
        GridCell? cell;
        if (deviceId is null)
        {
            _cells.TryGetValue(key, out cell);
        }
        else
        {
            var last = _devices.TryGetValue(deviceId, out var d) ? d : null;
            if (last is not null && last.Key == key)
            {
                cell = last.Cell;
            }
            else
            {
                _cells.TryGetValue(key, out cell);
                _devices[deviceId] = new DeviceCell(key, cell);
            }
        }

        if (cell is null)
        {
            return GeofenceResult.Empty;
        }

        return cell.Fixed(heightMetres) ?? ClassifyInCell(cell, longitude, latitude, heightMetres, accuracyMetres);
    }

    /// <summary>The same answer without the grid (STRtree, point locators, every edge): the reference
    /// the grid is tested against, and the path for accuracies above <see cref="MaxAccuracyMetres"/>.</summary>
    public GeofenceResult ClassifyExact(double longitude, double latitude, double? heightMetres, double accuracyMetres)
    {
        if (!double.IsFinite(longitude) || !double.IsFinite(latitude) || double.IsNaN(accuracyMetres))
        {
            return GeofenceResult.Empty;
        }

        var (kx, ky) = LocalMetricPlane.MetresPerDegree(latitude);
        var reach = Math.Max(accuracyMetres, 0);
        var search = new Envelope(longitude - (reach / kx), longitude + (reach / kx), latitude - (reach / ky), latitude + (reach / ky));
        var hits = new List<GeofenceHit>();
        ShaftDistance? nearest = null;
        foreach (var area in _tree.Query(search))
        {
            if (area.IsCircle)
            {
                AddCircle(area, longitude, latitude, heightMetres, reach, kx, ky, hits, ref nearest);
                continue;
            }

            var containment = Containment.Uncertain;
            if (!area.AnyEdgeWithin(longitude, latitude, reach, kx, ky))
            {
                containment = area.Locator!.Locate(new Coordinate(longitude, latitude)) == Location.Interior ? Containment.Inside : Containment.Outside;
            }

            if (containment != Containment.Outside)
            {
                hits.Add(new GeofenceHit(area.Id, area.Kind, containment, area.ElevationOf(heightMetres), area.Band));
            }
        }

        return hits.Count == 0 && nearest is null ? GeofenceResult.Empty : new GeofenceResult(hits, nearest);
    }

    private static GeofenceResult ClassifyInCell(GridCell cell, double lon, double lat, double? z, double accuracy)
    {
        Span<GeofenceHit> found = stackalloc GeofenceHit[Math.Min(64, cell.Inside.Length + cell.Boundary.Length + cell.Circles.Length)];
        var count = 0;
        List<GeofenceHit>? overflow = found.Length < 64 ? null : [];
        void Add(Span<GeofenceHit> buffer, GeofenceHit hit)
        {
            if (overflow is null)
            {
                buffer[count++] = hit;
            }
            else
            {
                overflow.Add(hit);
            }
        }

        foreach (var area in cell.Inside)
        {
            Add(found, new GeofenceHit(area.Id, area.Kind, Containment.Inside, area.ElevationOf(z), area.Band));
        }

        foreach (var part in cell.Boundary)
        {
            var containment = part.Classify(lon, lat, accuracy, cell.Kx, cell.Ky);
            if (containment != Containment.Outside)
            {
                Add(found, new GeofenceHit(part.Area.Id, part.Area.Kind, containment, part.Area.ElevationOf(z), part.Area.Band));
            }
        }

        ShaftDistance? nearest = null;
        foreach (var circle in cell.Circles)
        {
            var d = LocalMetricPlane.PointDistanceMetres(lon, lat, circle.CenterX, circle.CenterY, cell.Kx, cell.Ky);
            if (d > circle.Radius + accuracy)
            {
                continue;
            }

            Add(found, new GeofenceHit(circle.Id, circle.Kind, d < circle.Radius - accuracy ? Containment.Inside : Containment.Uncertain, circle.ElevationOf(z)));
            if (circle.Kind == GeofenceAreaKind.SealedShaft && (nearest is null || d < nearest.Value.DistanceMetres))
            {
                nearest = new ShaftDistance(circle.Id, d, circle.Radius);
            }
        }

        GeofenceHit[] hits = overflow is not null ? [.. overflow] : found[..count].ToArray();
        return hits.Length == 0 && nearest is null ? GeofenceResult.Empty : new GeofenceResult(hits, nearest);
    }

    private static void AddCircle(
        IndexedArea circle, double lon, double lat, double? z, double accuracy, double kx, double ky,
        List<GeofenceHit> hits, ref ShaftDistance? nearest)
    {
        var d = LocalMetricPlane.PointDistanceMetres(lon, lat, circle.CenterX, circle.CenterY, kx, ky);
        if (d > circle.Radius + accuracy)
        {
            return;
        }

        var containment = d < circle.Radius - accuracy ? Containment.Inside : Containment.Uncertain;
        hits.Add(new GeofenceHit(circle.Id, circle.Kind, containment, circle.ElevationOf(z)));
        if (circle.Kind == GeofenceAreaKind.SealedShaft && (nearest is null || d < nearest.Value.DistanceMetres))
        {
            nearest = new ShaftDistance(circle.Id, d, circle.Radius);
        }
    }

    private sealed record DeviceCell(long Key, GridCell? Cell);
}
