using GeoMine.Viewer.Hosting;
using Microsoft.Extensions.Options;

namespace GeoMine.Viewer.ViewerConfig;

/// <summary><c>GET /api/viewer/config</c>: what the map page needs from configuration — the base map, or null.</summary>
internal static class ViewerConfigApi
{
    public static IEndpointRouteBuilder MapViewerConfigApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/viewer/config", (IOptions<BaseMapOptions> options) => TypedResults.Ok(new ViewerConfigView(BaseMap(options.Value))))
            .WithTags(ApiTags.Map).WithName("getViewerConfig").WithSummary("What the map page needs from configuration: the base map, or null");
        return routes;
    }

    private static BaseMapView? BaseMap(BaseMapOptions o) =>
        o.Type is not ("xyz" or "wmts") || string.IsNullOrWhiteSpace(o.Url)
            ? null
            : new BaseMapView(o.Type, o.Url.Replace("{key}", o.Key ?? "", StringComparison.Ordinal), o.Layer, o.MatrixSet ?? "EPSG:3857",
                o.Format ?? "image/png", o.Attribution);
}

/// <summary>The map page's configuration.</summary>
/// <param name="BaseMap">The base map, or null: offline (the default).</param>
internal sealed record ViewerConfigView(BaseMapView? BaseMap);

/// <summary>A base map: xyz or wmts, its URL (with the key filled in), WMTS layer, matrix set, format, attribution.</summary>
internal sealed record BaseMapView(string Type, string Url, string? Layer, string MatrixSet, string Format, string? Attribution);
