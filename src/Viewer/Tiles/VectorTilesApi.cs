using System.Text.Json.Serialization;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using GeoMine.Geo.Import;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;
using Npgsql;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// Mapbox vector tiles built by PostGIS (<c>ST_AsMVT</c>) on the Web Mercator XYZ grid:
/// <c>/tiles/{layer}/{z}/{x}/{y}.mvt</c> and a TileJSON per layer. Strong ETag per representation with
/// 304 on a match, 204 for an empty tile, gzip when the client accepts it, 400 for z/x/y off the grid.
/// </summary>
internal static class VectorTilesApi
{
    public const string MediaType = "application/vnd.mapbox-vector-tile";
    private const int MaxZoom = 22;

    public static IEndpointRouteBuilder MapVectorTilesApi(this IEndpointRouteBuilder routes)
    {
        var tiles = routes.MapGroup("/tiles").WithTags(ApiTags.Map);
        tiles.MapGet("/{layer}.json", TileJson).WithName("getTileJson").WithSummary("TileJSON 3.0.0 of a layer's vector tiles")
            .Produces<TileJsonDocument>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status404NotFound);
        // Every layer of the map page in one tile (one MVT layer each, named as the layer): 4 requests for a county view
        // instead of 32 (bench firstmap). The literal "all" wins over {layer}; no layer is named so.
        tiles.MapGet("/all/{z}/{x}/{y}.mvt", AllAsync).WithName("getAllLayersVectorTile")
            .WithSummary("One Mapbox vector tile with every layer of the map page (GET /api/layers), one MVT layer each, in their order")
            .Produces(StatusCodes.Status200OK, contentType: MediaType).ProducesProblem(StatusCodes.Status400BadRequest);
        tiles.MapGet("/{layer}/{z}/{x}/{y}.mvt", TileAsync).WithName("getVectorTile").WithSummary("One Mapbox vector tile (EPSG:3857 grid) of a layer")
            .Produces(StatusCodes.Status200OK, contentType: MediaType).ProducesProblem(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status404NotFound);
        tiles.MapGet("/shafts/{z}/{x}/{y}.bin", ShaftOverviewAsync).WithName("getShaftOverviewTile")
            .WithSummary("Sealed shafts of a tile at low zoom as packed points with patrol status")
            .Produces(StatusCodes.Status200OK, contentType: ShaftOverviewMediaType).ProducesProblem(StatusCodes.Status400BadRequest);
        return routes;
    }

    /// <summary>The SQL that builds one tile of <paramref name="layer"/> (also used by the tile benchmark).</summary>
    public static string TileSql(LayerDefinition layer) => TileSql(layer, TownScope.Everything);

    /// <summary>The SQL of one tile with only the features of <paramref name="scope"/>'s towns (parameter <c>@scope_towns</c>).</summary>
    public static string TileSql(LayerDefinition layer, TownScope scope)
    {
        // Column names come from the layer definition, never from the request.
        var columns = string.Join(", ", layer.Fields.Select(f => $"e.{f.Name}"));
        return $"""
            WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
                 rows AS (
                     SELECT ST_AsMVTGeom(ST_Transform(e.geom, 3857), bounds.env, 4096, 64, true) AS mvt_geom, {columns}
                     FROM ({layer.ExportSql}) e, bounds
                     WHERE ST_Intersects(e.geom, ST_Transform(bounds.env, 4490)) AND {scope.LayerPredicate(layer, "e")})
            SELECT ST_AsMVT(rows.*, @layer, 4096, 'mvt_geom') FROM rows WHERE mvt_geom IS NOT NULL
            """;
    }

    private static async Task<IResult> TileJson(HttpRequest request, Caller caller, string layer, GeoMine.Viewer.Ogc.LayerExtents extents, CancellationToken ct)
    {
        if (Find(layer) is not { } definition)
        {
            return TypedResults.NotFound();
        }

        var root = PublicBaseUrl.Of(request);
        // The fields every tile of the layer carries: its export fields, and for shafts the rating the tiles add.
        var fields = definition.Fields.ToDictionary(f => f.Name, f => f.Kind.ToString());
        if (definition.Kind == LayerKind.Shafts)
        {
            fields["patrol_status"] = "Text: ok, due_soon, overdue or never_visited";
            fields["unassigned"] = "Boolean: nobody is the shaft's responsible person";
        }

        var bounds = await extents.OfAsync(definition, caller.Scope, ct);
        return TypedResults.Ok(new TileJsonDocument(
            "3.0.0", definition.Title, [$"{root}/tiles/{definition.Name}/{{z}}/{{x}}/{{y}}.mvt"], 0, MaxZoom,
            [new TileJsonLayer(definition.Name, fields)], bounds,
            bounds is null ? null : [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, GeoMine.Viewer.Ogc.LayerExtents.ZoomToFit(bounds)]));
    }

    private static async Task<IResult> TileAsync(
        HttpContext context, Caller caller, string layer, string z, string x, string y, NpgsqlDataSource db, ShaftPatrolTiles shafts, CancellationToken ct)
    {
        if (Find(layer) is not { } definition)
        {
            return TypedResults.NotFound();
        }

        if (!TryTile(z, x, y, out var zoom, out var column, out var row))
        {
            return TypedResults.Problem($"no tile {z}/{x}/{y}: z must be 0–{MaxZoom}, x and y 0–2^z−1",
                statusCode: StatusCodes.Status400BadRequest, title: "bad tile address");
        }

        return Respond(context, await LayerTileAsync(definition, zoom, column, row, caller.Scope, db, shafts, ct), MediaType);
    }

    // The map page's layers, bottom to top (the order of GET /api/layers).
    private static readonly LayerDefinition[] MapLayers = [.. LayerCatalog.All.Where(l => l.Map is not null).OrderBy(l => l.Map!.Order)];

    private static async Task<IResult> AllAsync(
        HttpContext context, Caller caller, string z, string x, string y, NpgsqlDataSource db, ShaftPatrolTiles shafts, CancellationToken ct)
    {
        if (!TryTile(z, x, y, out var zoom, out var column, out var row))
        {
            return TypedResults.Problem($"no tile {z}/{x}/{y}: z must be 0–{MaxZoom}, x and y 0–2^z−1",
                statusCode: StatusCodes.Status400BadRequest, title: "bad tile address");
        }

        // An MVT tile is a sequence of layer messages: the layers' own tiles, one after another, are one tile with all of them.
        using var all = new MemoryStream();
        foreach (var layer in MapLayers)
        {
            all.Write(await LayerTileAsync(layer, zoom, column, row, caller.Scope, db, shafts, ct));
        }

        return Respond(context, all.ToArray(), MediaType);
    }

    /// <summary>The MVT bytes of one layer's tile within <paramref name="scope"/> (empty when nothing is in it).</summary>
    private static async Task<byte[]> LayerTileAsync(
        LayerDefinition definition, int zoom, int column, int row, TownScope scope, NpgsqlDataSource db, ShaftPatrolTiles shafts, CancellationToken ct)
    {
        if (definition.Kind == LayerKind.Shafts)
        {
            return await shafts.TileAsync(definition, zoom, column, row, scope, ct);
        }

        var (connection, transaction) = await TileConnection.OpenAsync(db, ct);
        await using var _ = connection;
        await using var __ = transaction;
        await using var command = new NpgsqlCommand(TileSql(definition, scope), connection, transaction);
        scope.AddParameter(command);
        command.Parameters.AddWithValue("z", zoom);
        command.Parameters.AddWithValue("x", column);
        command.Parameters.AddWithValue("y", row);
        command.Parameters.AddWithValue("layer", definition.Name);
        return await command.ExecuteScalarAsync(ct) as byte[] ?? [];
    }


    /// <summary>The sealed shafts of a tile at zoom 0–<see cref="ShaftOverviewTiles.MaxZoom"/> as points (see
    /// <see cref="ShaftOverviewTiles"/>), scoped, validated and compressed as the vector tiles are.</summary>
    private static async Task<IResult> ShaftOverviewAsync(HttpContext context, Caller caller, string z, string x, string y, ShaftOverviewTiles overview, CancellationToken ct)
    {
        if (!TryTile(z, x, y, out var zoom, out var column, out var row) || zoom > ShaftOverviewTiles.MaxZoom)
        {
            return TypedResults.Problem($"no overview tile {z}/{x}/{y}: z must be 0–{ShaftOverviewTiles.MaxZoom}, x and y 0–2^z−1",
                statusCode: StatusCodes.Status400BadRequest, title: "bad tile address");
        }

        var tile = await overview.TileAsync(zoom, column, row, caller.Scope, ct);
        return Respond(context, tile, ShaftOverviewMediaType);
    }

    public const string ShaftOverviewMediaType = "application/octet-stream";

    private static IResult Respond(HttpContext context, byte[] tile, string mediaType)
    {
        if (tile.Length == 0)
        {
            return TypedResults.NoContent();
        }

        var gzip = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        var body = gzip ? Gzip(tile) : tile;
        // Strong validator of the representation: the identity and gzip bodies get different tags.
        var etag = $"\"{Convert.ToHexString(SHA256.HashData(tile))[..32].ToLowerInvariant()}{(gzip ? "-gz" : "")}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "private, no-cache"; // per user (town scope); revalidate: boundaries and statuses change
        response.Headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        return TypedResults.Bytes(body, mediaType);
    }

    private static bool TryTile(string z, string x, string y, out int zoom, out int column, out int row)
    {
        (column, row) = (0, 0);
        if (!int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out zoom) || zoom > MaxZoom)
        {
            return false;
        }

        var size = 1L << zoom;
        return int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out column) && column < size
            && int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out row) && row < size;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static LayerDefinition? Find(string name) =>
        LayerCatalog.All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.Ordinal));
}

/// <summary>TileJSON 3.0.0 of a layer (member names as the specification fixes them, not the API's snake_case).</summary>
/// <param name="Bounds">CRS84 west, south, east, north of the caller's features; left out when there are none.</param>
/// <param name="Center">Longitude, latitude and a zoom that fits the bounds.</param>
internal sealed record TileJsonDocument(
    [property: JsonPropertyName("tilejson")] string TileJson,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tiles")] IReadOnlyList<string> Tiles,
    [property: JsonPropertyName("minzoom")] int MinZoom,
    [property: JsonPropertyName("maxzoom")] int MaxZoom,
    [property: JsonPropertyName("vector_layers")] IReadOnlyList<TileJsonLayer> VectorLayers,
    [property: JsonPropertyName("bounds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[]? Bounds,
    [property: JsonPropertyName("center"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[]? Center);

/// <summary>A vector layer of the tiles: its id (the MVT layer name) and the fields each feature carries, with their kind.</summary>
internal sealed record TileJsonLayer(
    [property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields);
