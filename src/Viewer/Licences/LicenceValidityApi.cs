using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Licences;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.Options;

namespace GeoMine.Viewer.Licences;

/// <summary>
/// <c>GET /api/mining-rights/expiring?days=</c>: mining licences already expired or expiring within <c>days</c> (default
/// <c>Licences:ExpiringWithinDays</c>, 90; 0–3650) of today (China date), soonest first, within the user's towns. Each with its
/// validity (China dates), days left (negative once expired) and status. 400 names the field.
/// </summary>
internal static class LicenceValidityApi
{
    public static IEndpointRouteBuilder MapLicenceValidityApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/mining-rights/expiring", ListAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, int? days, LicenceValidityService service, IOptions<LicenceValidityOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (days is < 0 or > 3650)
        {
            return TypedResults.Problem("must be from 0 to 3650 days", statusCode: StatusCodes.Status400BadRequest, title: "bad request",
                extensions: new Dictionary<string, object?> { ["field"] = "days" });
        }

        var scope = await AccessSetup.ScopeAsync(context);
        var today = ChinaTime.Day(clock.GetUtcNow().UtcDateTime);
        var window = days ?? options.Value.ExpiringWithinDays;
        var list = await service.ListAsync(today, window, scope.IsEverything ? null : scope.TownIds, ct);
        return TypedResults.Json(new JsonObject
        {
            ["today"] = today.ToString("yyyy-MM-dd"),
            ["days"] = window,
            ["licences"] = new JsonArray([.. list.Select(l => (JsonNode)Json(l))]),
        });
    }

    private static JsonObject Json(LicenceValidity l) => new()
    {
        ["licence"] = l.LicenceNo,
        ["holder"] = l.Holder,
        ["mine_name"] = l.MineName,
        ["town"] = l.Town,
        ["valid_from"] = l.ValidFrom?.ToString("yyyy-MM-dd"),
        ["valid_to"] = l.ValidTo?.ToString("yyyy-MM-dd"),
        ["days_left"] = l.DaysLeft,
        ["status"] = l.Status,
    };
}
