using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace GeoMine.Viewer.ViewerConfig;

/// <summary><c>GET /api/viewer/config</c>: what the map page needs from configuration — the base map, or null.</summary>
internal static class ViewerConfigApi
{
    public static IEndpointRouteBuilder MapViewerConfigApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/viewer/config", (IOptions<BaseMapOptions> options) => TypedResults.Json(new JsonObject { ["base_map"] = BaseMap(options.Value) }));
        return routes;
    }

    private static JsonObject? BaseMap(BaseMapOptions o) =>
        o.Type is not ("xyz" or "wmts") || string.IsNullOrWhiteSpace(o.Url)
            ? null
            : new JsonObject
            {
                ["type"] = o.Type,
                ["url"] = o.Url.Replace("{key}", o.Key ?? "", StringComparison.Ordinal),
                ["layer"] = o.Layer,
                ["matrix_set"] = o.MatrixSet ?? "EPSG:3857",
                ["format"] = o.Format ?? "image/png",
                ["attribution"] = o.Attribution,
            };
}
