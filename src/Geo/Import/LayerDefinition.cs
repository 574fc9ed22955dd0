using NetTopologySuite.Geometries;

namespace GeoMine.Geo.Import;

/// <summary>What geometry a layer stores, and how source geometry is normalised into it.</summary>
public enum TargetGeometry
{
    /// <summary>One point (a single-point MultiPoint is accepted).</summary>
    Point,

    /// <summary>One line (a single-part MultiLineString is accepted).</summary>
    LineString,

    /// <summary>Polygons, always stored as MultiPolygon.</summary>
    MultiPolygon,

    /// <summary>Point, Polygon or MultiPolygon, stored as given.</summary>
    PointOrArea,

    /// <summary>Any geometry type, stored as given.</summary>
    Any,
}

/// <summary>Which other table a layer's features refer to, resolved before anything is written.</summary>
public enum LayerReference
{
    /// <summary>No reference.</summary>
    None,

    /// <summary><c>town</c> field: a town's name or code; when absent, the town containing the feature.</summary>
    Town,

    /// <summary><c>parent</c> field: the town a village belongs to (name or code); when absent, the containing town.</summary>
    ParentTown,

    /// <summary><c>mine</c> field: the closed mine (code or name) a shaft belongs to; required.</summary>
    Mine,

    /// <summary><c>code</c> field: an existing tailings pond the feature updates.</summary>
    Pond,
}

/// <summary>
/// The import and export contract of one reference layer: target fields with their source-name
/// defaults, accepted geometry, the upsert statement (parameters named after the fields plus
/// <c>@geom</c> as EWKB, <c>@ref_id</c> for the resolved reference) and the export query.
/// </summary>
public sealed record LayerDefinition(
    LayerKind Kind,
    string Name,
    string Title,
    IReadOnlyList<FieldSpec> Fields,
    TargetGeometry Geometry,
    LayerReference Reference,
    string WriteSql,
    string ExportSql)
{
    /// <summary>The field that names a feature in the export rows, the OGC API id and the API paths: <c>code</c>, or
    /// <c>licence</c> for mining rights.</summary>
    public string KeyField { get; init; } = "code";

    /// <summary>SQL for the town (jurisdiction id) of the feature whose key is the SQL expression <c>{key}</c>: what town
    /// scoping, search and alarms use to decide who sees it.</summary>
    public required string TownOfKey { get; init; }

    /// <summary>SQL <c>table WHERE …</c> selecting the feature whose key is <c>@key</c>.</summary>
    public required string RowOfKey { get; init; }

    /// <summary>SQL that finds the layer's features for <c>GET /api/search</c>: columns <c>key, name, geom, town_id</c>, rows
    /// matching the text pattern <c>@like</c> (ILIKE); null when the layer is not searched.</summary>
    public string? SearchSql { get; init; }

    /// <summary>The layer's features as the objects alarms and assignments name, or null when they never are.</summary>
    public LayerObject? Object { get; init; }

    /// <summary>How the map page shows the layer (drawn from its vector tiles), or null when it is not on the map.</summary>
    public MapLayer? Map { get; init; }

    /// <summary><see cref="TownOfKey"/> for the key expression <paramref name="key"/>.</summary>
    public string TownOf(string key) => TownOfKey.Replace("{key}", key, StringComparison.Ordinal);

    /// <summary>True when the geometry type is acceptable for this layer (before normalisation).</summary>
    public bool Accepts(Geometry geometry) => Geometry switch
    {
        TargetGeometry.Point => geometry is Point || geometry is MultiPoint { NumGeometries: 1 },
        TargetGeometry.LineString => geometry is LineString || geometry is MultiLineString { NumGeometries: 1 },
        TargetGeometry.MultiPolygon => geometry is Polygon or MultiPolygon,
        TargetGeometry.PointOrArea => geometry is Point or Polygon or MultiPolygon,
        _ => true,
    };

    /// <summary>The accepted geometry types, for messages.</summary>
    public string ExpectedGeometry => Geometry switch
    {
        TargetGeometry.Point => "Point",
        TargetGeometry.LineString => "LineString",
        TargetGeometry.MultiPolygon => "Polygon or MultiPolygon",
        TargetGeometry.PointOrArea => "Point, Polygon or MultiPolygon",
        _ => "any geometry",
    };

    /// <summary>Normalises an accepted geometry to what the table stores (2D, single or multi as needed).</summary>
    public Geometry Normalise(Geometry geometry, GeometryFactory factory)
    {
        var flat = factory.CreateGeometry(geometry);
        flat.Apply(DropZFilter.Instance);
        return Geometry switch
        {
            TargetGeometry.Point when flat is MultiPoint mp => mp.GetGeometryN(0),
            TargetGeometry.LineString when flat is MultiLineString ml => ml.GetGeometryN(0),
            TargetGeometry.MultiPolygon when flat is Polygon p => factory.CreateMultiPolygon([p]),
            _ => flat,
        };
    }
}

/// <summary>Sets Z to NaN: stored geometry is 2D (elevations live in their own columns).</summary>
internal sealed class DropZFilter : ICoordinateSequenceFilter
{
    public static readonly DropZFilter Instance = new();

    public bool Done => false;

    public bool GeometryChanged => true;

    public void Filter(CoordinateSequence seq, int i)
    {
        if (seq.HasZ)
        {
            seq.SetZ(i, double.NaN);
        }
    }
}

/// <summary>A layer on the map page: drawn bottom to top by <paramref name="Order"/>, labelled in both languages, shown at
/// start or only when switched on. The page reads these from <c>GET /api/layers</c>; its styles are keyed by layer name.</summary>
public sealed record MapLayer(int Order, string LabelZh, string LabelEn, bool VisibleAtStart = true);

/// <summary>A layer's features as objects of alarms and assignments (<c>alarm.object_kind</c>, <c>assignment.object_kind</c>).</summary>
/// <param name="Kind">The object kind stored with alarms and assignments, e.g. <c>sealed_shaft</c>.</param>
/// <param name="Table">The table holding the objects (<c>id</c>, <c>geom</c>, the key column).</param>
/// <param name="KeyColumn">The column users name an object by: <c>code</c>, <c>licence_no</c>.</param>
/// <param name="TownOfId">SQL for the town (jurisdiction id) of the object whose id is the SQL expression <c>{id}</c>.</param>
public sealed record LayerObject(string Kind, string Table, string KeyColumn, string TownOfId)
{
    /// <summary><see cref="TownOfId"/> for the id expression <paramref name="id"/>.</summary>
    public string TownOf(string id) => TownOfId.Replace("{id}", id, StringComparison.Ordinal);
}
