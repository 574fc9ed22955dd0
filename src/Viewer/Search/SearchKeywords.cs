using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Tailings;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Tiles;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Search;

/// <summary>
/// Words the search box understands as "what is in this state", in Chinese or English: 头顶库 finds the ponds that are
/// 头顶库 now (the tailings watch's own assessment), 逾期 / 从未巡查 the shafts rated overdue / never visited and 无责任人 those
/// nobody answers for — rated as the map rates them (<see cref="TileShaftRating"/>, the overdue job's rule) — all within
/// the caller's towns. The list is served at <c>GET /api/search/keywords</c> for the page's hints.
/// </summary>
internal sealed class SearchKeywords(NpgsqlDataSource db, TailingsWatchService ponds, IOptions<PatrolObligationOptions> options, TimeProvider clock)
{
    public static IReadOnlyList<SearchKeyword> All { get; } =
    [
        new("head_pond", "头顶库", "Overhead pond", ["头顶库", "head pond", "overhead pond", "overhead"]),
        new("overdue", "逾期未巡查", "Overdue", ["逾期", "逾期未巡查", "overdue"]),
        new("never_visited", "从未巡查", "Never visited", ["从未巡查", "never visited"]),
        new("unassigned", "无责任人", "Nobody responsible", ["无责任人", "unassigned", "nobody responsible"]),
    ];

    private const string Shafts = $"""
        SELECT s.id, s.code, {TileShaftRating.Columns}
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id
        {TileShaftRating.Join}
        WHERE @everything OR m.town_id = ANY(@scope_towns)
        ORDER BY s.code
        """;

    private const string ShaftHits = """
        SELECT s.code, coalesce(s.name, s.code), ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
        FROM sealed_shaft s CROSS JOIN LATERAL (SELECT s.geom::box2d AS b) x WHERE s.code = ANY(@codes) ORDER BY s.code
        """;

    private const string PondHits = """
        SELECT p.code, p.name, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
        FROM tailings_pond p CROSS JOIN LATERAL (SELECT p.geom::box2d AS b) x
        WHERE p.code = ANY(@codes) AND (@everything OR p.town_id = ANY(@scope_towns)) ORDER BY p.code
        """;

    /// <summary>The objects keyword <paramref name="text"/> names (none when it is no keyword), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<SearchHit>> FindAsync(string text, TownScope scope, int limit, CancellationToken ct)
    {
        var keyword = All.FirstOrDefault(k => k.Terms.Any(t => string.Equals(t, text, StringComparison.OrdinalIgnoreCase)));
        if (keyword is null)
        {
            return [];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (keyword.Code == "head_pond")
        {
            var heads = (await ponds.ReviewAsync(now, ct: ct)).Where(p => p.Facts.Head.IsHead).Select(p => p.Facts.Code).ToArray();
            return await HitsAsync(PondHits, "tailings", heads, scope, limit, keyword.Code, ct);
        }

        var settings = options.Value;
        var codes = new List<string>();
        await using (var command = db.CreateCommand(Shafts))
        {
            TileShaftRating.AddParameters(command, now, settings);
            command.Parameters.AddWithValue("everything", scope.IsEverything);
            scope.AddParameter(command);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct) && codes.Count < limit)
            {
                var code = r.GetString(1);
                var (status, assigned) = TileShaftRating.Read(r, 2, code, now, settings);
                if (keyword.Code == "unassigned" ? !assigned : PatrolStatusCode.Of(status) == keyword.Code)
                {
                    codes.Add(code);
                }
            }
        }

        return await HitsAsync(ShaftHits, "shafts", [.. codes], scope, limit, keyword.Code, ct);
    }

    private async Task<IReadOnlyList<SearchHit>> HitsAsync(string sql, string layer, string[] codes, TownScope scope, int limit, string keyword, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("codes", codes);
        command.Parameters.AddWithValue("everything", scope.IsEverything);
        scope.AddParameter(command);
        var hits = new List<SearchHit>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct) && hits.Count < limit)
        {
            hits.Add(new SearchHit(layer, r.GetString(0), r.GetString(1), [r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5)], keyword));
        }

        return hits;
    }
}

/// <summary>A search keyword: its code, names, and the words (any case) that mean it.</summary>
internal sealed record SearchKeyword(string Code, string LabelZh, string LabelEn, IReadOnlyList<string> Terms);
