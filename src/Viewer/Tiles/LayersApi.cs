using GeoMine.Geo.Import;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// <c>GET /api/layers</c>: the layers of the map page, bottom to top, from <see cref="LayerCatalog"/> — id, labels in both
/// languages, visible at start, the key field, the geometry and the fields its vector tiles carry, the tile URL template.
/// The page builds its layer list and legend from this answer; only the styles are its own (keyed by id, with a plain
/// default for a layer it has no style for).
/// </summary>
internal static class LayersApi
{
    public static IEndpointRouteBuilder MapLayersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/layers", () => TypedResults.Ok(All)).WithTags(ApiTags.Map).WithName("listMapLayers")
            .WithSummary("The map page's layers, bottom to top: labels, start visibility, key, geometry, fields, tile URL");
        return routes;
    }

    // The shafts' tiles also carry the patrol rating.
    private static readonly MapLayerField[] PatrolFields =
    [
        new("patrol_status", "code", FieldLabels.Of("patrol_status").Zh, FieldLabels.Of("patrol_status").En, Catalogs.CodesApi.PatrolStatuses),
        new("unassigned", "boolean", FieldLabels.Of("unassigned").Zh, FieldLabels.Of("unassigned").En, []),
    ];

    private static IReadOnlyList<MapLayerView> All { get; } =
    [
        .. LayerCatalog.All.Where(l => l.Map is not null).OrderBy(l => l.Map!.Order).Select(l => new MapLayerView(
            l.Name, l.Map!.LabelZh, l.Map.LabelEn, l.Map.VisibleAtStart, l.KeyField, l.ExpectedGeometry,
            [.. l.Fields.Select(MapLayerField.Of), .. l.Kind == LayerKind.Shafts ? PatrolFields : []],
            $"/tiles/{l.Name}/{{z}}/{{x}}/{{y}}.mvt")),
    ];
}

/// <summary>One layer of the map page.</summary>
/// <param name="Id">Layer name: the tiles', OGC API's and command line's.</param>
/// <param name="Visible">Shown when the page opens.</param>
/// <param name="KeyField">The field that names a feature (code; licence for mining rights).</param>
/// <param name="Geometry">The geometry its features have.</param>
/// <param name="Tiles">Vector tile URL template on this server (EPSG:3857 grid).</param>
internal sealed record MapLayerView(
    string Id, string LabelZh, string LabelEn, bool Visible, string KeyField, string Geometry, IReadOnlyList<MapLayerField> Fields, string Tiles);

/// <summary>A field of a layer's features: name, kind (text, integer, number, date, code…), its names in Chinese and
/// English, and for a code field each code with its names.</summary>
internal sealed record MapLayerField(string Name, string Kind, string LabelZh, string LabelEn, IReadOnlyList<CodeLabel> Codes)
{
    public static MapLayerField Of(FieldSpec field)
    {
        var (zh, en) = FieldLabels.Of(field.Name);
        return new(field.Name, field.Kind.ToString().ToLowerInvariant(), zh, en, field.CodeLabels);
    }
}
