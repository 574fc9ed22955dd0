using GeoMine.Geo;
using GeoMine.Geo.Import;
using GeoMine.Patrol.Coverage;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Cli;
using GeoMine.Viewer.Hosting;
using Npgsql;

namespace GeoMine.Viewer.Coverage;

/// <summary>
/// Patrol coverage over HTTP; both take <c>from</c>, <c>to</c> (ISO-8601; no offset = China time; the period is
/// [from, to)) and optional <c>town</c> (name or code), <c>person</c> (name), <c>mine</c> (code):
/// <list type="bullet">
/// <item><c>GET /api/patrol/coverage</c>: JSON tables — summary, per shaft, per track segment (as <c>geomine patrol coverage --format json</c>).</item>
/// <item><c>GET /api/patrol/coverage.geojson</c>: a FeatureCollection (CRS84) of the track segments (LineString) and shafts (Point).</item>
/// </list>
/// 400 names the parameter.
/// </summary>
internal static class CoverageApi
{
    public static IEndpointRouteBuilder MapCoverageApi(this IEndpointRouteBuilder routes)
    {
        var coverage = routes.MapGroup("/api/patrol").RequireRateLimiting(HeavyRequests.Policy);
        coverage.MapGet("/coverage", (HttpRequest request, PatrolCoverageService service, CancellationToken ct) =>
            RespondAsync(request, service, CoverageDetail.None, c => TypedResults.Json(CoverageJson.Tables(c)), ct));
        coverage.MapGet("/coverage.geojson", (HttpRequest request, PatrolCoverageService service, CancellationToken ct) =>
            RespondAsync(request, service, CoverageDetail.Tracks, c => TypedResults.Json(CoverageJson.FeatureCollection(c), contentType: "application/geo+json"), ct));
        return routes;
    }

    private static async Task<IResult> RespondAsync(
        HttpRequest request, PatrolCoverageService service, CoverageDetail detail, Func<PatrolCoverage, IResult> render, CancellationToken ct)
    {
        string? Text(string name) => request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;
        try
        {
            var from = Instant("from", Text("from"));
            var to = Instant("to", Text("to"));
            detail |= Text("area") switch
            {
                null => CoverageDetail.None,
                "exact" => CoverageDetail.ExactArea,
                var other => throw new CoverageInputException("area", $"'{other}' is not 'exact' (leave it out for cells only)"),
            };
            var scope = await AccessSetup.ScopeAsync(request.HttpContext);
            var town = Text("town");
            if (!scope.IsEverything)
            {
                // A coordinator's coverage is always one of their towns.
                town ??= scope.Towns!.Count == 1 ? scope.Towns[0].Code : throw new CoverageInputException("town", $"choose one of your towns: {string.Join(", ", scope.Towns.Select(t => t.Code))}");
                if (!scope.AllowsTown(town))
                {
                    return TypedResults.Problem($"town {town} is outside your towns", statusCode: StatusCodes.Status403Forbidden, title: "outside your towns");
                }

                if (Text("mine") is { } mine && !await scope.HoldsAsync(request.HttpContext.RequestServices.GetRequiredService<NpgsqlDataSource>(), LayerKind.ClosedMines, mine, ct))
                {
                    return TypedResults.Problem($"no closed mine {mine} in your towns", statusCode: StatusCodes.Status404NotFound, title: "unknown mine");
                }
            }

            return render(await service.ComputeAsync(from, to, new CoverageScope(town, Text("person"), Text("mine")), detail, ct));
        }
        catch (CoverageInputException e)
        {
            return Bad(e.Parameter, e.Message);
        }
    }

    /// <summary>An instant of the period: ISO-8601, no offset = China time; <see cref="CoverageInputException"/> naming <paramref name="parameter"/> otherwise.</summary>
    internal static DateTime Instant(string parameter, string? text)
    {
        if (text is null)
        {
            throw new CoverageInputException(parameter, "missing (ISO-8601, no offset = China time)");
        }

        try
        {
            return JobsCommand.ParseAt(text);
        }
        catch (FormatException)
        {
            throw new CoverageInputException(parameter, $"'{text}' is not {ChinaTime.IsoForm}");
        }
    }

    private static IResult Bad(string parameter, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad coverage request",
            extensions: new Dictionary<string, object?> { ["field"] = parameter });
}
