using GeoMine.Geo.Import;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using GeoMine.Viewer.Access;
using Npgsql;

namespace GeoMine.Viewer.Search;

/// <summary>
/// <c>GET /api/search?q=&amp;limit=</c>: shafts, closed mines, tailings ponds, towns and villages by code or name, and
/// mining rights by licence number, holder or mine name (case-insensitive substring). Each hit names its map layer
/// and its extent in CGCS2000 lon/lat degrees: exact matches first, then by kind (the map's layer order), then by name.
/// A keyword (<see cref="SearchKeywords"/>: 头顶库, 逾期, 从未巡查, 无责任人, in Chinese or English) finds the objects it
/// names — rated as the map rates them — before any name match. 400 names the field.
/// </summary>
internal static class SearchApi
{
    /// <summary>One query over every searchable layer of <see cref="LayerCatalog"/> (its <see cref="LayerDefinition.SearchSql"/>),
    /// scoped to the caller's towns, exact matches first. Layer names come from the catalog, never from the request.</summary>
    private static readonly string Search = $"""
        SELECT layer, key, name, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (
            {string.Join("\n    UNION ALL ", LayerCatalog.All.Where(l => l.SearchSql is not null).Select(l =>
                $"SELECT '{l.Name}' AS layer, f.key, f.name, f.geom::box2d AS b, f.town_id FROM ({l.SearchSql}) f"))}) hits
        WHERE (@everything OR town_id = ANY(@scope_towns)) AND NOT (layer = ANY(@found_layers) AND key = ANY(@found_keys))
        ORDER BY (key = @q OR name = @q) DESC, array_position(@layer_order, layer), length(name), name
        LIMIT @limit
        """;

    // The map's layer order: hits of one kind stay together.
    private static readonly string[] LayerOrder = [.. LayerCatalog.All.Where(l => l.Map is not null).OrderBy(l => l.Map!.Order).Select(l => l.Name)];

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/search", SearchAsync).WithTags(ApiTags.Search).WithName("search")
            .WithSummary("Shafts, mines, ponds, towns, villages and mining rights by code or name, exact matches first")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        routes.MapGet("/api/search/keywords", () => TypedResults.Ok(SearchKeywords.All)).WithTags(ApiTags.Search).WithName("listSearchKeywords")
            .WithSummary("Words the search understands as a state (头顶库, 逾期, 从未巡查, 无责任人), with the terms that mean each");
        return routes;
    }

    private static async Task<Results<Ok<SearchResult>, ProblemHttpResult>> SearchAsync(
        Caller caller, string? q, int? limit, NpgsqlDataSource db, SearchKeywords keywords, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return Bad("q", "is required: part of a name, code or licence number");
        }

        if (limit is < 1 or > 100)
        {
            return Bad("limit", "must be from 1 to 100");
        }

        var text = q.Trim();
        var take = limit ?? 20;
        var hits = new List<SearchHit>(await keywords.FindAsync(text, caller.Scope, take, ct));
        await using var command = db.CreateCommand(Search);
        command.Parameters.AddWithValue("q", text);
        // The user's text is matched literally: LIKE's wildcards are escaped.
        command.Parameters.AddWithValue("like", "%" + text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%");
        command.Parameters.AddWithValue("limit", take - hits.Count);
        command.Parameters.AddWithValue("layer_order", LayerOrder);
        command.Parameters.AddWithValue("found_layers", hits.Select(h => h.Layer).ToArray());
        command.Parameters.AddWithValue("found_keys", hits.Select(h => h.Code).ToArray());
        var scope = caller.Scope; // a coordinator finds only what lies in their towns
        command.Parameters.AddWithValue("everything", scope.IsEverything);
        scope.AddParameter(command);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            hits.Add(new SearchHit(r.GetString(0), r.GetString(1), r.GetString(2), [r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)]));
        }

        return TypedResults.Ok(new SearchResult(text, hits));
    }

    private static ProblemHttpResult Bad(string field, string detail) => FieldProblem.Bad("bad search", field, detail);
}

/// <summary>What was searched for and what was found: keyword matches, then exact matches, then by kind and name.</summary>
internal sealed record SearchResult(string Q, IReadOnlyList<SearchHit> Hits);

/// <summary>One hit: its map layer, code (licence number for mining rights), name, and extent [west, south, east, north] in
/// EPSG:4490 degrees; <paramref name="Keyword"/> the keyword it matched (head_pond, overdue, never_visited, unassigned), if any.</summary>
internal sealed record SearchHit(string Layer, string Code, string Name, double[] Bbox, string? Keyword = null);
