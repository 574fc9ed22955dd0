using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Licences;

/// <summary>One licensed block (区块 / 采区) of a mining licence.</summary>
/// <param name="Name">Block name as in the text (or the mine name / 矿区范围 when the text gives none).</param>
/// <param name="UpperMetres">Upper licensed elevation (开采标高上限), metres, 1985 national heights.</param>
/// <param name="LowerMetres">Lower licensed elevation, metres.</param>
/// <param name="Geometry">Polygon or MultiPolygon in EPSG:4490, x = longitude, y = latitude (degrees).</param>
/// <param name="PlaneGeometry">The same in the licence's Gauss-Kruger plane, x = easting, y = northing (metres, as written).</param>
/// <param name="AreaSquareKilometres">Area in the licence's Gauss-Kruger plane (as the bureau computes it), km².</param>
/// <param name="VertexCount">Number of corner points (closing repeats not counted).</param>
public sealed record LicenceBlock(
    string Name, double UpperMetres, double LowerMetres, Geometry Geometry, Geometry PlaneGeometry,
    double AreaSquareKilometres, int VertexCount);
