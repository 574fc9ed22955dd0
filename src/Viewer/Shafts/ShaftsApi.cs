using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Obligations;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Coverage;
using Npgsql;

namespace GeoMine.Viewer.Shafts;

/// <summary>
/// <c>GET /api/shafts/{code}</c>: one sealed shaft as the map page shows it when clicked — its patrol status now (the
/// overdue job's rating, through <see cref="ShaftStatusService"/>, the same answer as <c>/api/shafts/{code}/status</c>),
/// last visit and next due (China time), and who answers for it now: every current assignment on the shaft and on its
/// mine, the shaft's first. 404 for an unknown code or one outside the caller's towns.
/// </summary>
internal static class ShaftsApi
{
    private const string Names = """
        SELECT s.name, s.status, m.name, t.name
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id LEFT JOIN jurisdiction t ON t.id = m.town_id
        WHERE s.code = @code
        """;

    public static IEndpointRouteBuilder MapShaftsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/shafts/{code}", GetAsync);
        return routes;
    }

    private static async Task<IResult> GetAsync(
        HttpContext context, string code, ShaftStatusService statuses, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await statuses.StatusAsync(code, now, (await AccessSetup.ScopeAsync(context)).TownCodes, ct) is not { } status)
        {
            return TypedResults.Problem($"no sealed shaft with code {code}", statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
        }

        await using var command = db.CreateCommand(Names);
        command.Parameters.AddWithValue("code", code);
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return TypedResults.Json(new JsonObject
        {
            ["code"] = status.Code,
            ["name"] = r.IsDBNull(0) ? null : r.GetString(0),
            ["status"] = r.GetString(1),
            ["mine"] = status.MineCode,
            ["mine_name"] = r.GetString(2),
            ["town"] = r.IsDBNull(3) ? null : r.GetString(3),
            ["patrol_status"] = CoverageJson.Status(status.Rating.Status),
            ["unassigned"] = status.Unassigned,
            ["interval_days"] = status.Interval.TotalDays,
            ["last_visit"] = status.LastVisitAt is { } v ? ChinaTime.Iso(v) : null,
            ["next_due"] = status.Rating.DueAt is { } d ? ChinaTime.Iso(d) : null,
            ["as_of"] = ChinaTime.Iso(now),
            ["responsible"] = new JsonArray(status.Assignments.Select(a => (JsonNode)new JsonObject
            {
                ["role"] = a.Role,
                ["on"] = a.ObjectKind,
                ["name"] = a.Person.Name,
                ["phone"] = a.Person.Phone,
                ["since"] = ChinaTime.Iso(a.ValidFrom),
            }).ToArray()),
        });
    }
}
