using GeoMine.Viewer.Hosting;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.ViewerConfig;

/// <summary><c>GET /api/viewer/config</c>: what the map page needs from configuration — the base map, or null.</summary>
internal static class ViewerConfigApi
{
    public static IEndpointRouteBuilder MapViewerConfigApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/viewer/config", async (IOptions<BaseMapOptions> options, Caller caller, NpgsqlDataSource db, CancellationToken ct) =>
                TypedResults.Ok(new ViewerConfigView(BaseMap(options.Value), await StartExtentAsync(db, caller, ct),
                    await Demo.DemoCounty.LoadedAtAsync(db, ct) is not null)))
            .WithTags(ApiTags.Map).WithName("getViewerConfig")
            .WithSummary("What the map page needs: the base map (or null), the start view (the extent of the caller's towns), whether demo data is loaded");
        return routes;
    }

    // The towns the caller answers for (every town for the county's roles), in EPSG:4490 degrees.
    private const string Extent = """
        SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
        FROM (SELECT ST_Extent(geom) AS e FROM jurisdiction WHERE level = 'town' AND (@all OR code = ANY(@towns))) x WHERE e IS NOT NULL
        """;

    private static async Task<double[]?> StartExtentAsync(NpgsqlDataSource db, Caller caller, CancellationToken ct)
    {
        await using var command = db.CreateCommand(Extent);
        command.Parameters.AddWithValue("all", caller.TownCodes is null);
        command.Parameters.AddWithValue("towns", caller.TownCodes?.ToArray() ?? []);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)] : null;
    }

    private static BaseMapView? BaseMap(BaseMapOptions o) =>
        o.Type is not ("xyz" or "wmts") || string.IsNullOrWhiteSpace(o.Url)
            ? null
            : new BaseMapView(o.Type, o.Url.Replace("{key}", o.Key ?? "", StringComparison.Ordinal), o.Layer, o.MatrixSet ?? "EPSG:3857",
                o.Format ?? "image/png", o.Attribution);
}

/// <summary>The map page's configuration.</summary>
/// <param name="BaseMap">The base map, or null: offline (the default).</param>
/// <param name="StartExtent">Where the map opens: [min lon, min lat, max lon, max lat] in degrees (EPSG:4490) around the
/// caller's towns — every town for a county role; null when no town is loaded.</param>
/// <param name="Demo">The demo's persons and devices are loaded (geomine demo remove takes them away): the page says so.</param>
internal sealed record ViewerConfigView(BaseMapView? BaseMap, IReadOnlyList<double>? StartExtent, bool Demo);

/// <summary>A base map: xyz or wmts, its URL (with the key filled in), WMTS layer, matrix set, format, attribution.</summary>
internal sealed record BaseMapView(string Type, string Url, string? Layer, string MatrixSet, string Format, string? Attribution);
