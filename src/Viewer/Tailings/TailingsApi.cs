using GeoMine.Viewer.Hosting;
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
        var tailings = routes.MapGroup("/api/tailings").WithTags(ApiTags.Tailings);
        tailings.MapGet("", ListAsync).WithName("listTailingsPonds").WithSummary("The reviewer's list of ponds, 头顶库 first")
            .Produces<PondReview>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        tailings.MapGet("/{code}", GetAsync).WithName("getTailingsPond").WithSummary("One pond: class, 头顶库 status, downstream facilities, duties")
            .Produces<PondView>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        Change<TailingsRegistryPatch>(tailings, HttpMethods.Patch, "", "patchTailingsPond",
            "Change registry fields (JSON merge patch: a member set to null clears the field)", StatusCodes.Status200OK,
            (registry, code, body, _, ct) => registry.UpdateAsync(code, body, ct));
        Change<TailingsSurveyInput>(tailings, HttpMethods.Post, "/surveys", "addTailingsSurvey",
            "Record a crest survey (elevation of the dam crest on a day)", StatusCodes.Status201Created,
            (registry, code, body, _, ct) => registry.AddSurveyAsync(code, body, ct));
        Change<TailingsApprovalInput>(tailings, HttpMethods.Post, "/approvals", "addTailingsApproval",
            "Record an approval (dam raise, method change, reactivation, closure)", StatusCodes.Status201Created,
            (registry, code, body, _, ct) => registry.AddApprovalAsync(code, body, ct));
        Change<TailingsInspectionInput>(tailings, HttpMethods.Post, "/inspections", "addTailingsInspection",
            "Record an inspection (pre-flood, flood routing, spot check)", StatusCodes.Status201Created,
            (registry, code, body, _, ct) => registry.AddInspectionAsync(code, body, ct));
        // The class decides duties and inspection depth: only tailings reviewers and administrators override it, as themselves.
        Change<TailingsClassOverride>(tailings, HttpMethods.Post, "/class-override", "overrideTailingsClass",
            "Override a pond's class with a reason (tailings reviewers); class null withdraws", StatusCodes.Status200OK,
            (registry, code, body, user, ct) =>
            {
                body.Remove("actor");
                return registry.OverrideClassAsync(code, body, user.Actor, ct);
            }).RequireAuthorization(AccessSetup.TailingsReviewPolicy);
        return routes;
    }

    /// <summary>One change of a pond at <c>/api/tailings/{code}{path}</c>: the registry checks each member of the body and
    /// names it; documented by its body record <typeparamref name="TBody"/>, the pond as the answer, 400 and 404.</summary>
    private static RouteHandlerBuilder Change<TBody>(
        RouteGroupBuilder tailings, string method, string path, string name, string summary, int status,
        Func<TailingsRegistry, string, JsonObject, AccessUser, CancellationToken, Task> edit) where TBody : notnull =>
        tailings.MapMethods("/{code}" + path, [method],
                (string code, HttpRequest request, Caller caller, TailingsRegistry registry, TailingsWatchService watch, TimeProvider clock, CancellationToken ct) =>
                    EditAsync(request, caller, code, watch, clock, (body, user) => edit(registry, code, body, user, ct), status, ct))
            .WithName(name).WithSummary(summary).Accepts<TBody>("application/json").Produces<PondView>(status, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> ListAsync(Caller caller, string? town, string? at, TailingsWatchService watch, TimeProvider clock, NpgsqlDataSource db, CancellationToken ct)
    {
        var scope = caller.Scope;
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

        return TypedResults.Json(new PondReview(ChinaTime.Iso(now), town, [.. ponds.Select(TailingsJson.Pond)]));
    }

    private static async Task<IResult> GetAsync(Caller caller, string code, TailingsWatchService watch, TimeProvider clock, NpgsqlDataSource db, CancellationToken ct)
    {
        if (!await caller.Scope.HoldsAsync(db, LayerKind.Tailings, code, ct))
        {
            return NotFound(code);
        }

        var ponds = await watch.ReviewAsync(clock.GetUtcNow().UtcDateTime, null, code, ct);
        return ponds.Count == 0 ? NotFound(code) : TypedResults.Json(TailingsJson.Pond(ponds[0]));
    }

    private static async Task<IResult> EditAsync(
        HttpRequest request, Caller caller, string code, TailingsWatchService watch, TimeProvider clock, Func<JsonObject, AccessUser, Task> edit, int status,
        CancellationToken ct)
    {
        var user = caller.User!;
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

    private static IResult Bad(string field, string detail) => FieldProblem.Bad("bad tailings request", field, detail);

    private static IResult NotFound(string code) =>
        TypedResults.Problem($"no tailings pond with code {code}", statusCode: StatusCodes.Status404NotFound, title: "unknown pond");
}

/// <summary><c>PATCH /api/tailings/{code}</c>: registry fields (only those sent change; null clears). Days yyyy-MM-dd, metres, 万m³.</summary>
/// <param name="Status">in_use, disused (needs disused_since), closed, deregistered or no_operator.</param>
/// <param name="ConstructionMethod">upstream, downstream, centerline or other.</param>
internal sealed record TailingsRegistryPatch(
    string? Name, string? Operator, string? Status, string? DisusedSince, string? ClosedOn, string? DeregisteredOn, double? TotalStorage10kM3,
    double? DamHeightM, double? DesignCrestM, string? ConstructionMethod, string? PlanRef);

/// <summary><c>POST /api/tailings/{code}/surveys</c>: a crest survey.</summary>
/// <param name="SurveyedOn">Day, yyyy-MM-dd (China date).</param>
/// <param name="CrestM">Crest elevation, metres.</param>
/// <param name="Source">Who or what measured it.</param>
internal sealed record TailingsSurveyInput(string SurveyedOn, double CrestM, string? Source);

/// <summary><c>POST /api/tailings/{code}/approvals</c>: an approval document.</summary>
/// <param name="Kind">dam_raise, method_change, reactivation or closure.</param>
/// <param name="ApprovedOn">Day, yyyy-MM-dd.</param>
/// <param name="CrestM">Approved crest elevation, metres (dam raise).</param>
/// <param name="Document">The approval's document number or reference.</param>
internal sealed record TailingsApprovalInput(string Kind, string ApprovedOn, double? CrestM, string Document);

/// <summary><c>POST /api/tailings/{code}/inspections</c>: an inspection.</summary>
/// <param name="Kind">pre_flood, flood_routing or spot_check.</param>
/// <param name="DoneOn">Day, yyyy-MM-dd.</param>
internal sealed record TailingsInspectionInput(string Kind, string DoneOn, string Inspector, string? Findings, string? Document);

/// <summary><c>POST /api/tailings/{code}/class-override</c>: the class (一 to 五, null withdraws the override) and why; the actor is the
/// signed-in reviewer.</summary>
internal sealed record TailingsClassOverride(string? Class, string Reason);
