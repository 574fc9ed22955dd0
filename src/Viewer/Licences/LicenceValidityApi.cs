using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
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
        routes.MapGet("/api/mining-rights/expiring", ListAsync).WithTags(ApiTags.Licences).WithName("listExpiringLicences")
            .WithSummary("Mining licences expired or expiring within days, soonest first").ProducesProblem(StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<Results<Ok<ExpiringLicences>, ProblemHttpResult>> ListAsync(
        Caller caller, int? days, LicenceValidityService service, IOptions<LicenceValidityOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (days is < 0 or > 3650)
        {
            return TypedResults.Problem("must be from 0 to 3650 days", statusCode: StatusCodes.Status400BadRequest, title: "bad request",
                extensions: new Dictionary<string, object?> { ["field"] = "days" });
        }

        var scope = caller.Scope;
        var today = ChinaTime.Day(clock.GetUtcNow().UtcDateTime);
        var window = days ?? options.Value.ExpiringWithinDays;
        var list = await service.ListAsync(today, window, scope.IsEverything ? null : scope.TownIds, ct);
        return TypedResults.Ok(new ExpiringLicences(today.ToString("yyyy-MM-dd"), window, [.. list.Select(LicenceValidityView.Of)]));
    }
}

/// <summary>Licences expired or expiring within <paramref name="Days"/> of <paramref name="Today"/> (China date).</summary>
internal sealed record ExpiringLicences(string Today, int Days, IReadOnlyList<LicenceValidityView> Licences);

/// <summary>One licence's validity (China dates yyyy-MM-dd).</summary>
/// <param name="DaysLeft">Negative once expired.</param>
/// <param name="Status">valid, expiring or expired (LicenceValidity.Status).</param>
internal sealed record LicenceValidityView(
    string Licence, string? Holder, string? MineName, string? Town, string? ValidFrom, string? ValidTo, int? DaysLeft, string Status)
{
    public static LicenceValidityView Of(LicenceValidity l) =>
        new(l.LicenceNo, l.Holder, l.MineName, l.Town, l.ValidFrom?.ToString("yyyy-MM-dd"), l.ValidTo?.ToString("yyyy-MM-dd"), l.DaysLeft, l.Status);
}
