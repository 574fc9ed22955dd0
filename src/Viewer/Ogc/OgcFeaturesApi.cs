using System.Globalization;
using System.Text;
using System.Text.Json;
using GeoMine.Geo.Import;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GeoMine.Viewer.Ogc;

/// <summary>
/// OGC API - Features (Part 1 core + GeoJSON, Part 2 output CRS) at <c>/ogc</c>, so QGIS, GDAL's OAPIF
/// driver and scripts read the same layers the map shows. Each reference layer is a collection whose
/// properties are the layer's export fields; PostGIS does the filtering and the GeoJSON encoding.
/// </summary>
internal static class OgcFeaturesApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 10_000;
    private static readonly string[] KnownParameters = ["f", "limit", "offset", "cursor", "bbox", "bbox-crs", "crs", "datetime"];

    public static IEndpointRouteBuilder MapOgcFeaturesApi(this IEndpointRouteBuilder routes)
    {
        var ogc = routes.MapGroup("/ogc").WithTags(ApiTags.Ogc);
        ogc.MapGet("/", Landing).WithName("ogcLanding").WithSummary("OGC API - Features landing page");
        // OGC API fixes its member names (conformsTo): the API-wide snake_case policy must not rename them.
        ogc.MapGet("/conformance", () => TypedResults.Ok(new OgcConformance(
            [
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
            ]))).WithName("ogcConformance").WithSummary("The conformance classes this API implements");
        ogc.MapGet("/collections", async (HttpRequest request, Caller caller, LayerExtents extents, CancellationToken ct) =>
        {
            var collections = new List<object>();
            foreach (var layer in OgcCollections.All)
            {
                collections.Add(Collection(request, layer, await extents.OfAsync(layer, caller.Scope, ct)));
            }

            return TypedResults.Ok<object>(new { links = new[] { Link(Base(request) + "/collections", "self", "application/json") }, collections });
        }).WithName("ogcCollections").WithSummary("Every layer as a feature collection");
        ogc.MapGet("/collections/{id}", async Task<Results<Ok<object>, NotFound>> (HttpRequest request, string id, Caller caller, LayerExtents extents, CancellationToken ct) =>
            Find(id) is { } layer ? TypedResults.Ok(Collection(request, layer, await extents.OfAsync(layer, caller.Scope, ct))) : TypedResults.NotFound())
            .WithName("ogcCollection").WithSummary("One feature collection");
        ogc.MapGet("/collections/{id}/items", ItemsAsync).WithName("ogcItems")
            .WithSummary("Features of a collection: limit, offset, bbox, crs, and property filters (GeoJSON)")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").ProducesProblem(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status404NotFound);
        ogc.MapGet("/collections/{id}/items/{fid}", ItemAsync).WithName("ogcItem").WithSummary("One feature (GeoJSON)")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").Produces(StatusCodes.Status404NotFound);
        return routes;
    }

    private static Ok<object> Landing(HttpRequest request)
    {
        var root = Base(request);
        return TypedResults.Ok<object>(new
        {
            title = "GeoMine",
            description = "Closed mines, sealed shafts, mining rights and tailings ponds (CGCS2000)",
            links = new[]
            {
                Link(root, "self", "application/json"),
                // The API definition GIS clients read (GDAL takes the page size from the limit parameter's maximum).
                Link(PublicBaseUrl.Of(request) + "/openapi/v1.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0"),
                // The same description for people (Swagger UI).
                Link(PublicBaseUrl.Of(request) + "/api-docs.html", "service-doc", "text/html"),
                Link(root + "/conformance", "conformance", "application/json"),
                Link(root + "/collections", "data", "application/json"),
            },
        });
    }

    private static object Collection(HttpRequest request, OgcCollection layer, LayerExtent? extent)
    {
        var root = $"{Base(request)}/collections/{layer.Name}";
        var collection = new Dictionary<string, object>
        {
            ["id"] = layer.Name,
            ["title"] = layer.Title,
            ["itemType"] = "feature",
            ["crs"] = OgcCrs.Supported,
            ["storageCrs"] = "http://www.opengis.net/def/crs/EPSG/0/4490",
            ["links"] = new[]
            {
                Link(root, "self", "application/json"),
                Link(root + "/items", "items", "application/geo+json"),
            },
        };
        if (extent is not null)
        {
            // Spatial in CRS84 (lon, lat degrees); temporal for the collections with time (the reference layers have none).
            collection["extent"] = extent.Interval is { } interval
                ? new Dictionary<string, object>
                {
                    ["spatial"] = new { bbox = new[] { extent.Bbox }, crs = OgcCrs.Crs84 },
                    ["temporal"] = new { interval = new[] { interval }, trs = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian" },
                }
                : new Dictionary<string, object> { ["spatial"] = new { bbox = new[] { extent.Bbox }, crs = OgcCrs.Crs84 } };
        }

        return collection;
    }

    private static async Task<IResult> ItemsAsync(HttpRequest request, Caller caller, string id, NpgsqlDataSource db, CancellationToken ct)
    {
        if (Find(id) is not { } layer)
        {
            return TypedResults.NotFound();
        }

        var query = request.Query;
        var filters = layer.Fields.Where(query.ContainsKey).ToList();
        var unknown = query.Keys.FirstOrDefault(k => !KnownParameters.Contains(k) && !filters.Contains(k));
        if (unknown is not null)
        {
            return Bad($"unknown parameter '{unknown}'; filterable properties: {string.Join(", ", layer.Fields)}");
        }

        if (!TryInt(query["limit"], DefaultLimit, 1, int.MaxValue, out var limit))
        {
            return Bad($"limit must be a whole number ≥ 1 (at most {MaxLimit} are returned)");
        }

        limit = Math.Min(limit, MaxLimit); // OGC API - Features 1.0.1: a limit above the maximum is the maximum, not an error

        if (!TryInt(query["offset"], 0, 0, int.MaxValue, out var offset))
        {
            return Bad("offset must be a whole number ≥ 0");
        }

        // Paging: the next link carries the last key (cursor) instead of an offset, so a page never rescans what came before it
        // and only the first page counts the matches.
        var cursor = query["cursor"].ToString() is { Length: > 0 } after ? after : null;
        if (cursor is not null && query.ContainsKey("offset"))
        {
            return Bad("cursor and offset: give one of them");
        }

        if (!OgcDateTime.TryParse(query["datetime"], out var timeFrom, out var timeTo, out var datetimeProblem))
        {
            return Bad($"datetime: {datetimeProblem}");
        }

        long? numericCursor = null;
        if (cursor is not null && layer.NumericKey)
        {
            numericCursor = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            if (numericCursor is null)
            {
                return Bad("cursor: not an id of this collection (take the next link as it is)");
            }
        }

        // bbox in the axis order of its bbox-crs (Part 2): CRS84 lon,lat; EPSG:4490/4326 lat,lon; a Gauss-Krüger zone
        // northing,easting in metres. Stored as an envelope in that CRS, transformed to EPSG:4490 by PostGIS.
        if (!OgcCrs.TryParse(query["bbox-crs"], out var bboxSrid, out var bboxFlip))
        {
            return Bad("bbox-crs: not one of the collection's crs list (CRS84, EPSG:4490, 4326, 4491-4554)");
        }

        if (!TryBbox(query["bbox"], bboxSrid is null, bboxFlip, out var bbox))
        {
            return Bad(bboxSrid is not null ? "bbox must be minNorthing,minEasting,maxNorthing,maxEasting in metres of bbox-crs"
                : bboxFlip ? "bbox must be minLat,minLon,maxLat,maxLon in degrees (EPSG axis order of bbox-crs)"
                : "bbox must be minLon,minLat,maxLon,maxLat in CRS84 (degrees)");
        }

        if (!OgcCrs.TryParse(query["crs"], out var transform, out var flip))
        {
            return Bad("crs: not one of the collection's crs list (CRS84, EPSG:4490, 4326, 4491-4554)");
        }

        var fid = FeatureId(layer);
        var scope = caller.Scope;
        var where = new StringBuilder(layer.Predicate(scope, "e"));
        if (layer.TimeField is { } time)
        {
            // Column name from the collection's definition, never from the request.
            where.Append(timeFrom is null ? "" : $" AND e.{time} >= @time_from").Append(timeTo is null ? "" : $" AND e.{time} <= @time_to");
        }
        if (bbox is not null)
        {
            where.Append(bboxSrid is { } srid
                ? FormattableString.Invariant($" AND ST_Intersects(e.geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, {srid}), 100), 4490))")
                : " AND ST_Intersects(e.geom, ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4490))");
        }

        foreach (var name in filters)
        {
            // Column names come from the layer's field list, never from the request.
            where.Append(CultureInfo.InvariantCulture, $" AND e.{name}::text = @p_{name}");
        }

        var cursorType = layer.NumericKey ? "bigint" : "text";
        // Two statements, not one CTE read twice (PostgreSQL would materialise every matching row for every page): the page
        // is an index range scan from the cursor; the count runs on the first page only.
        var sql = $"""
            SELECT coalesce(json_agg({FeatureJson("page", fid, transform, flip)} ORDER BY page.{fid}), '[]'::json)::text,
                   (array_agg(page.{fid}::text ORDER BY page.{fid} DESC))[1],
                   CASE WHEN @cursor::{cursorType} IS NULL THEN (SELECT count(*) FROM ({layer.Sql}) e WHERE {where}) END
            FROM (SELECT * FROM ({layer.Sql}) e WHERE ({where}) AND (@cursor::{cursorType} IS NULL OR e.{fid} > @cursor)
                  ORDER BY e.{fid} LIMIT @limit OFFSET @offset) page
            """;
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.Add(layer.NumericKey
            ? new NpgsqlParameter("cursor", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)numericCursor ?? DBNull.Value }
            : new NpgsqlParameter("cursor", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)cursor ?? DBNull.Value });
        scope.AddParameter(command);
        if (timeFrom is { } from)
        {
            command.Parameters.AddWithValue("time_from", from);
        }

        if (timeTo is { } to)
        {
            command.Parameters.AddWithValue("time_to", to);
        }
        if (bbox is { } b)
        {
            command.Parameters.AddWithValue("minx", b[0]);
            command.Parameters.AddWithValue("miny", b[1]);
            command.Parameters.AddWithValue("maxx", b[2]);
            command.Parameters.AddWithValue("maxy", b[3]);
        }

        foreach (var name in filters)
        {
            command.Parameters.AddWithValue($"p_{name}", query[name].ToString());
        }

        long? matched;
        string features;
        string? last;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (features, last, matched) = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
        }

        var returned = JsonDocument.Parse(features).RootElement.GetArrayLength();
        var self = $"{Base(request)}/collections/{layer.Name}/items";
        var links = new List<object> { Link(self + request.QueryString, "self", "application/geo+json") };
        // A full page may have a successor; the first page knows for sure from its count.
        if (last is not null && returned == limit && (matched is null || offset + returned < matched))
        {
            links.Add(Link(self + QueryWith(request, "cursor", last, "offset"), "next", "application/geo+json"));
        }

        var json = new StringBuilder()
            .Append("{\"type\":\"FeatureCollection\",\"features\":").Append(features)
            .Append(matched is { } m ? FormattableString.Invariant($",\"numberMatched\":{m}") : "")
            .Append(CultureInfo.InvariantCulture, $",\"numberReturned\":{returned},\"timeStamp\":\"{DateTime.UtcNow:O}\",\"links\":")
            .Append(JsonSerializer.Serialize(links)).Append('}');
        request.HttpContext.Response.Headers["Content-Crs"] = $"<{OgcCrs.Uri(query["crs"])}>";
        return TypedResults.Text(json.ToString(), "application/geo+json", Encoding.UTF8);
    }

    private static async Task<IResult> ItemAsync(HttpRequest request, Caller caller, string id, string fid, NpgsqlDataSource db, CancellationToken ct)
    {
        if (Find(id) is not { } layer)
        {
            return TypedResults.NotFound();
        }

        if (!OgcCrs.TryParse(request.Query["crs"], out var transform, out var flip))
        {
            return Bad("crs: not one of the collection's crs list");
        }

        var key = FeatureId(layer);
        var scope = caller.Scope;
        await using var command = db.CreateCommand(
            $"SELECT {FeatureJson("e", key, transform, flip)}::text FROM ({layer.Sql}) e WHERE e.{key} = @fid AND {layer.Predicate(scope, "e")}");
        if (layer.NumericKey)
        {
            if (!long.TryParse(fid, NumberStyles.None, CultureInfo.InvariantCulture, out var numericFid))
            {
                return TypedResults.NotFound();
            }

            command.Parameters.AddWithValue("fid", numericFid);
        }
        else
        {
            command.Parameters.AddWithValue("fid", fid);
        }

        scope.AddParameter(command);
        if (await command.ExecuteScalarAsync(ct) is not string feature)
        {
            return TypedResults.NotFound();
        }

        var item = System.Text.Json.Nodes.JsonNode.Parse(feature)!.AsObject();
        var collection = $"{Base(request)}/collections/{layer.Name}";
        item["links"] = new System.Text.Json.Nodes.JsonArray(
            System.Text.Json.JsonSerializer.SerializeToNode(Link($"{collection}/items/{Uri.EscapeDataString(fid)}{request.QueryString}", "self", "application/geo+json")),
            System.Text.Json.JsonSerializer.SerializeToNode(Link(collection, "collection", "application/json")));
        request.HttpContext.Response.Headers["Content-Crs"] = $"<{OgcCrs.Uri(request.Query["crs"])}>";
        return TypedResults.Text(item.ToJsonString(), "application/geo+json", Encoding.UTF8);
    }

    /// <summary>One GeoJSON Feature per row; the transform target is an integer validated by <see cref="OgcCrs"/>.</summary>
    private static string FeatureJson(string row, string fid, int? transform, bool flip)
    {
        var geometry = transform is { } srid ? $"ST_Transform({row}.geom, {srid.ToString(CultureInfo.InvariantCulture)})" : $"{row}.geom";
        if (flip)
        {
            geometry = $"ST_FlipCoordinates({geometry})";
        }

        var digits = transform is null ? 9 : 3; // 1e-9° ≈ 0.1 mm; metres to the millimetre
        return $"json_build_object('type', 'Feature', 'id', {row}.{fid}, 'geometry', ST_AsGeoJSON({geometry}, {digits}, 0)::json, 'properties', to_jsonb({row}) - 'geom' - '_town_id')";
    }

    private static string FeatureId(OgcCollection layer) => layer.KeyField;

    private static OgcCollection? Find(string id) => OgcCollections.Find(id);

    private static string Base(HttpRequest request) => $"{PublicBaseUrl.Of(request)}/ogc";

    private static object Link(string href, string rel, string type) => new { href, rel, type };

    private static IResult Bad(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad OGC API request");

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    /// <summary>Reads bbox as x/y minima and maxima (easting/longitude first), swapping the axes when its CRS lists them the
    /// other way round; geographic values are range-checked.</summary>
    private static bool TryBbox(string? text, bool geographic, bool flip, out double[]? bbox)
    {
        bbox = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parts = text.Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                return false;
            }
        }

        if (values.Length != 4)
        {
            return false;
        }

        if (flip)
        {
            values = [values[1], values[0], values[3], values[2]];
        }

        if (values[0] > values[2] || values[1] > values[3] || (geographic && (Math.Abs(values[1]) > 90 || Math.Abs(values[3]) > 90)))
        {
            return false;
        }

        bbox = values;
        return true;
    }

    private static string QueryWith(HttpRequest request, string key, string value, string? drop = null)
    {
        var pairs = request.Query.Where(q => q.Key != key && q.Key != drop).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"{Uri.EscapeDataString(key)}={Uri.EscapeDataString(value)}");
        return "?" + string.Join('&', pairs);
    }
}

/// <summary>OGC API conformance declaration; the member name is the standard's.</summary>
internal sealed record OgcConformance([property: System.Text.Json.Serialization.JsonPropertyName("conformsTo")] IReadOnlyList<string> ConformsTo);
