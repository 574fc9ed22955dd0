using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
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
        SELECT s.name, s.status, m.name, t.name, s.seal_method, s.seal_date,
               (SELECT v.name FROM jurisdiction v WHERE v.level = 'village' AND ST_Intersects(v.geom, s.geom) ORDER BY v.id LIMIT 1)
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id LEFT JOIN jurisdiction t ON t.id = m.town_id
        WHERE s.code = @code
        """;

    public static IEndpointRouteBuilder MapShaftsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/shafts/{code}", GetAsync).WithTags(ApiTags.Shafts).WithName("getShaft")
            .WithSummary("One sealed shaft as the map shows it: patrol status, last visit, next due, who answers for it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<ShaftView>, ProblemHttpResult>> GetAsync(
        Caller caller, string code, ShaftStatusService statuses, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await statuses.StatusAsync(code, now, caller.TownCodes, ct) is not { } status)
        {
            return TypedResults.Problem($"no sealed shaft with code {code}", statusCode: StatusCodes.Status404NotFound, title: "unknown shaft");
        }

        await using var command = db.CreateCommand(Names);
        command.Parameters.AddWithValue("code", code);
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return TypedResults.Ok(new ShaftView(
            status.Code, r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1), status.MineCode, r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
            r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            CoverageJson.Status(status.Rating.Status), status.Unassigned, status.Interval.TotalDays,
            status.LastVisitAt is { } v ? ChinaTime.Iso(v) : null, status.Rating.DueAt is { } d ? ChinaTime.Iso(d) : null, ChinaTime.Iso(now),
            status.Assignments.Select(a => new ShaftResponsible(a.Role, a.ObjectKind, a.Person.Name, a.Person.Phone, ChinaTime.Iso(a.ValidFrom))).ToList()));
    }
}

/// <summary>A sealed shaft as the map page shows it when clicked (instants China time).</summary>
/// <param name="Status">The shaft's own status (sealed, reopened, …).</param>
/// <param name="Village">The village (村社区) whose boundary holds the shaft, when villages are loaded.</param>
/// <param name="SealMethod">How it was sealed (封闭方式), as recorded.</param>
/// <param name="SealedOn">When it was sealed (China date).</param>
/// <param name="PatrolStatus">never_visited, ok, due_soon or overdue.</param>
/// <param name="Unassigned">Nobody is the shaft's responsible person now.</param>
/// <param name="IntervalDays">Required patrol interval, days.</param>
/// <param name="Responsible">Every current assignment on the shaft and on its mine, the shaft's first.</param>
internal sealed record ShaftView(
    string Code, string? Name, string Status, string? Mine, string MineName, string? Town, string? Village, string? SealMethod, string? SealedOn,
    string PatrolStatus, bool Unassigned, double IntervalDays,
    string? LastVisit, string? NextDue, string AsOf, IReadOnlyList<ShaftResponsible> Responsible);

/// <summary>One current assignment: the role, on what (sealed_shaft or closed_mine), who, since when.</summary>
internal sealed record ShaftResponsible(string Role, string On, string Name, string? Phone, string Since);
