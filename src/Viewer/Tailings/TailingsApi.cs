using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Geo.Import;
using GeoMine.Patrol.Tailings;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Cli;
using Npgsql;

namespace GeoMine.Viewer.Tailings;

/// <summary>
/// The tailings registry over HTTP (JSON, snake_case; days <c>yyyy-MM-dd</c> China dates; metres, 万m³):
/// <list type="bullet">
/// <item><c>GET /api/tailings[?town=NAME|CODE][&amp;at=ISO]</c>: the reviewer's list (头顶库 first), as <c>geomine tailings review --format json</c>.</item>
/// <item><c>GET /api/tailings/{code}</c>: one pond.</item>
/// <item><c>PATCH /api/tailings/{code}</c>: registry fields (<see cref="TailingsRegistry.EditableFields"/>); null clears.</item>
/// <item><c>POST /api/tailings/{code}/surveys|approvals|inspections</c>: dated records the rules read.</item>
/// <item><c>POST /api/tailings/{code}/class-override</c>: <c>{"class": "一", "reason": "…", "actor": "…"}</c>; class null withdraws.</item>
/// </list>
/// Requests are all or nothing; 400 names the field, 404 an unknown pond.
/// </summary>
internal static class TailingsApi
{
    public static IEndpointRouteBuilder MapTailingsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/tailings", ListAsync);
        routes.MapGet("/api/tailings/{code}", GetAsync);
        routes.MapPatch("/api/tailings/{code}", (string code, HttpRequest request, TailingsRegistry registry, TailingsWatchService watch, TimeProvider clock, CancellationToken ct) =>
            EditAsync(request, code, watch, clock, (body, _) => registry.UpdateAsync(code, body, ct), StatusCodes.Status200OK, ct));
        routes.MapPost("/api/tailings/{code}/surveys", (string code, HttpRequest request, TailingsRegistry registry, TailingsWatchService watch, TimeProvider clock, CancellationToken ct) =>
            EditAsync(request, code, watch, clock, (body, _) => registry.AddSurveyAsync(code, body, ct), StatusCodes.Status201Created, ct));
        routes.MapPost("/api/tailings/{code}/approvals", (string code, HttpRequest request, TailingsRegistry registry, TailingsWatchService watch, TimeProvider clock, CancellationToken ct) =>
            EditAsync(request, code, watch, clock, (body, _) => registry.AddApprovalAsync(code, body, ct), StatusCodes.Status201Created, ct));
        routes.MapPost("/api/tailings/{code}/inspections", (string code, HttpRequest request, TailingsRegistry registry, TailingsWatchService watch, TimeProvider clock, CancellationToken ct) =>
            EditAsync(request, code, watch, clock, (body, _) => registry.AddInspectionAsync(code, body, ct), StatusCodes.Status201Created, ct));
        // The class decides duties and inspection depth: only tailings reviewers and administrators override it, as themselves.
        routes.MapPost("/api/tailings/{code}/class-override", (string code, HttpRequest request, TailingsRegistry registry, TailingsWatchService watch, TimeProvider clock, CancellationToken ct) =>
            EditAsync(request, code, watch, clock, (body, user) =>
            {
                body.Remove("actor");
                return registry.OverrideClassAsync(code, body, user.Actor, ct);
            }, StatusCodes.Status200OK, ct)).RequireAuthorization(AccessSetup.TailingsReviewPolicy);
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpContext context, string? town, string? at, TailingsWatchService watch, TimeProvider clock, NpgsqlDataSource db, CancellationToken ct)
    {
        var scope = await AccessSetup.ScopeAsync(context);
        if (town is not null && !scope.AllowsTown(town))
        {
            return TypedResults.Problem($"town {town} is outside your towns", statusCode: StatusCodes.Status403Forbidden, title: "outside your towns");
        }

        DateTime now;
        try
        {
            now = at is null ? clock.GetUtcNow().UtcDateTime : JobsCommand.ParseAt(at);
        }
        catch (FormatException e)
        {
            return Bad("at", e.Message);
        }

        var ponds = await watch.ReviewAsync(now, town, null, ct);
        if (!scope.IsEverything)
        {
            await using var inScope = db.CreateCommand($"SELECT array_agg(code) FROM tailings_pond WHERE town_id = ANY(@{TownScope.Parameter})");
            scope.AddParameter(inScope);
            var codes = (await inScope.ExecuteScalarAsync(ct) as string[] ?? []).ToHashSet(StringComparer.Ordinal);
            ponds = ponds.Where(p => codes.Contains(p.Facts.Code)).ToList();
        }

        return TypedResults.Json(new JsonObject
        {
            ["as_of"] = ChinaTime.Iso(now),
            ["town"] = town,
            ["ponds"] = new JsonArray(ponds.Select(p => (JsonNode)TailingsJson.Pond(p)).ToArray()),
        });
    }

    private static async Task<IResult> GetAsync(HttpContext context, string code, TailingsWatchService watch, TimeProvider clock, NpgsqlDataSource db, CancellationToken ct)
    {
        if (!await (await AccessSetup.ScopeAsync(context)).HoldsAsync(db, LayerKind.Tailings, code, ct))
        {
            return NotFound(code);
        }

        var ponds = await watch.ReviewAsync(clock.GetUtcNow().UtcDateTime, null, code, ct);
        return ponds.Count == 0 ? NotFound(code) : TypedResults.Json(TailingsJson.Pond(ponds[0]));
    }

    private static async Task<IResult> EditAsync(
        HttpRequest request, string code, TailingsWatchService watch, TimeProvider clock, Func<JsonObject, AccessUser, Task> edit, int status, CancellationToken ct)
    {
        var user = (await AccessSetup.CurrentAsync(request.HttpContext))!;
        if (!await user.Scope.HoldsAsync(request.HttpContext.RequestServices.GetRequiredService<NpgsqlDataSource>(), LayerKind.Tailings, code, ct))
        {
            return NotFound(code);
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct) as JsonObject
                ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException e)
        {
            return Bad("body", $"not a JSON object: {e.Message}");
        }

        try
        {
            await edit(body, user);
        }
        catch (TailingsInputException e)
        {
            return Bad(e.Field, e.Message);
        }
        catch (TailingsNotFoundException)
        {
            return NotFound(code);
        }

        var pond = (await watch.ReviewAsync(clock.GetUtcNow().UtcDateTime, null, code, ct)).Single();
        return TypedResults.Json(TailingsJson.Pond(pond), statusCode: status);
    }

    private static IResult Bad(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad tailings request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static IResult NotFound(string code) =>
        TypedResults.Problem($"no tailings pond with code {code}", statusCode: StatusCodes.Status404NotFound, title: "unknown pond");
}
