using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Geofence;

/// <summary>
/// One area the geofence index watches. Geometry in EPSG:4490, x = longitude, y = latitude (degrees):
/// a Polygon or MultiPolygon (holes allowed), or a Point with <see cref="RadiusMetres"/> for a circle
/// (sealed-shaft protection zone, or a closed mine known only by a point).
/// </summary>
/// <param name="Id">Row id in its table.</param>
/// <param name="Kind">What the area is.</param>
/// <param name="Geometry">Polygon, MultiPolygon, or Point (with a radius), EPSG:4490.</param>
/// <param name="Elevation">Licensed elevation band, for mining rights.</param>
/// <param name="RadiusMetres">Circle radius in metres, for Point geometries.</param>
public sealed record GeofenceArea(
    long Id, GeofenceAreaKind Kind, Geometry Geometry, ElevationRangeMetres? Elevation = null, double? RadiusMetres = null);
