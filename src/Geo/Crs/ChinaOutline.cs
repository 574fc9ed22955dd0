using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace GeoMine.Geo.Crs;

/// <summary>
/// Whether coordinates lie in China: within China's land outline (mainland with Hainan, Taiwan, Hong Kong, Macao) widened by
/// 20 km, from Natural Earth 1:10m (public domain; <c>data/reference/china-land-20km.geojson</c>, embedded; how it was made
/// is in <c>data/reference/README.md</c>). Coarse on purpose: it tells a wrong CRS, swapped axes or a foreign dataset (mines in
/// India, Russia, Indonesia) from Chinese data, nothing finer. Longitude/latitude degrees, CGCS2000 ≈ WGS84.
/// </summary>
public static class ChinaOutline
{
    private static readonly Lazy<IPreparedGeometry> Outline = new(Load);

    /// <summary>True when every point of <paramref name="geometry"/> (EPSG:4490) lies within the outline.</summary>
    public static bool Covers(Geometry geometry) => Outline.Value.Covers(geometry);

    private static IPreparedGeometry Load()
    {
        using var stream = typeof(ChinaOutline).Assembly.GetManifestResourceStream("china-land-20km.geojson")
            ?? throw new InvalidOperationException("china-land-20km.geojson is not embedded in GeoMine.Geo");
        using var json = JsonDocument.Parse(stream);
        var factory = new GeometryFactory(new PrecisionModel(), Srid.Cgcs2000);
        var polygons = new List<Polygon>();
        foreach (var feature in json.RootElement.GetProperty("features").EnumerateArray())
        {
            var geometry = feature.GetProperty("geometry");
            var parts = geometry.GetProperty("type").GetString() == "Polygon"
                ? [geometry.GetProperty("coordinates")]
                : geometry.GetProperty("coordinates").EnumerateArray().ToList();
            foreach (var part in parts)
            {
                var rings = part.EnumerateArray().Select(ring => factory.CreateLinearRing(
                    [.. ring.EnumerateArray().Select(c => new Coordinate(c[0].GetDouble(), c[1].GetDouble()))])).ToList();
                polygons.Add(factory.CreatePolygon(rings[0], [.. rings.Skip(1)]));
            }
        }

        return PreparedGeometryFactory.Prepare(factory.CreateMultiPolygon([.. polygons]));
    }
}
