using GeoMine.Geo.Crs;
using GeoMine.Geo.Storage;
using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Licences;

/// <summary>The licensed area (矿区范围) of a mining licence, read from its text by <see cref="LicenceParser"/>.</summary>
public sealed record LicensedArea
{
    /// <summary>Licence number, holder, mine, mineral, validity, as stated in the text.</summary>
    public LicenceParticulars Particulars { get; init; } = new();

    /// <summary>The Gauss-Kruger system the corner points were written in.</summary>
    public required SpatialReference SourceSrs { get; init; }

    /// <summary>The transformation applied to an old-datum licence (Xi'an 1980, Beijing 1954), else null.</summary>
    public DatumTransformation? DatumShift { get; init; }

    /// <summary>How the source system and any datum transformation are recorded (import log, <c>mining_right.source_crs</c>).</summary>
    public string SourceDescription => DatumShift is { } shift ? $"{SourceSrs}; {shift.Describe()}" : SourceSrs.ToString();

    /// <summary>The blocks, in text order.</summary>
    public required IReadOnlyList<LicenceBlock> Blocks { get; init; }

    /// <summary>What was fixed or assumed while reading (e.g. a ring closed).</summary>
    public IReadOnlyList<LicenceProblem> Warnings { get; init; } = [];

    /// <summary>Highest upper elevation over the blocks, metres.</summary>
    public double UpperMetres => Blocks.Max(b => b.UpperMetres);

    /// <summary>Lowest lower elevation over the blocks, metres.</summary>
    public double LowerMetres => Blocks.Min(b => b.LowerMetres);

    /// <summary>Total area in the Gauss-Kruger plane, km².</summary>
    public double AreaSquareKilometres => Blocks.Sum(b => b.AreaSquareKilometres);

    /// <summary>All blocks as one MultiPolygon, EPSG:4490 (lon, lat degrees): the <c>mining_right.geom</c> value.</summary>
    public MultiPolygon ToMultiPolygon()
    {
        var polygons = Blocks.SelectMany(b => Enumerable.Range(0, b.Geometry.NumGeometries).Select(i => (Polygon)b.Geometry.GetGeometryN(i)));
        var multi = GeometryWkb.Factory.CreateMultiPolygon([.. polygons]);
        multi.SRID = Srid.Cgcs2000;
        return multi;
    }
}
