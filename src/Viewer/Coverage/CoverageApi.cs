using Microsoft.AspNetCore.Mvc;
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
        var coverage = routes.MapGroup("/api/patrol").RequireRateLimiting(HeavyRequests.Policy).WithTags(ApiTags.Coverage);
        coverage.MapGet("/coverage", ([AsParameters] CoverageQuery query, Caller caller, NpgsqlDataSource db, PatrolCoverageService service, CancellationToken ct) =>
                RespondAsync(query, caller, db, service, CoverageDetail.None, c => TypedResults.Json(CoverageJson.Tables(c)), ct))
            .WithName("getCoverage").WithSummary("Patrol coverage of a period: per person, per shaft, per town; km, hours, cells, visits")
            .Produces<CoverageTables>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        coverage.MapGet("/coverage.geojson", ([AsParameters] CoverageQuery query, Caller caller, NpgsqlDataSource db, PatrolCoverageService service, CancellationToken ct) =>
                RespondAsync(query, caller, db, service, CoverageDetail.Tracks, c => TypedResults.Json(CoverageJson.FeatureCollection(c), contentType: "application/geo+json"), ct))
            .WithName("getCoverageGeoJson").WithSummary("Patrol coverage of a period as GeoJSON (EPSG:4490): tracks, swaths, visited shafts")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    private static async Task<IResult> RespondAsync(
        CoverageQuery query, Caller caller, NpgsqlDataSource db, PatrolCoverageService service, CoverageDetail detail, Func<PatrolCoverage, IResult> render,
        CancellationToken ct)
    {
        static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        try
        {
            var from = Instant("from", Text(query.From));
            var to = Instant("to", Text(query.To));
            detail |= Text(query.Area) switch
            {
                null => CoverageDetail.None,
                "exact" => CoverageDetail.ExactArea,
                var other => throw new CoverageInputException("area", $"'{other}' is not 'exact' (leave it out for cells only)"),
            };
            var scope = caller.Scope;
            var town = Text(query.Town);
            if (!scope.IsEverything)
            {
                // A coordinator's coverage is always one of their towns.
                town ??= scope.Towns!.Count == 1 ? scope.Towns[0].Code : throw new CoverageInputException("town", $"choose one of your towns: {string.Join(", ", scope.Towns.Select(t => t.Code))}");
                if (!scope.AllowsTown(town))
                {
                    return TypedResults.Problem($"town {town} is outside your towns", statusCode: StatusCodes.Status403Forbidden, title: "outside your towns");
                }

                if (Text(query.Mine) is { } mine && !await scope.HoldsAsync(db, LayerKind.ClosedMines, mine, ct))
                {
                    return TypedResults.Problem($"no closed mine {mine} in your towns", statusCode: StatusCodes.Status404NotFound, title: "unknown mine");
                }
            }

            return render(await service.ComputeAsync(from, to, new CoverageScope(town, Text(query.Person), Text(query.Mine)), detail, ct));
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

    private static IResult Bad(string parameter, string detail) => FieldProblem.Bad("bad coverage request", parameter, detail);
}

/// <summary>The query of the coverage endpoints.</summary>
/// <param name="From">Start of the period: ISO-8601, no offset = China time (required).</param>
/// <param name="To">End of the period, exclusive (required).</param>
/// <param name="Town">Town (jurisdiction code or name); a coordinator's own town when they have one.</param>
/// <param name="Person">Only this person's patrols.</param>
/// <param name="Mine">Only this closed mine's shafts.</param>
/// <param name="Area">exact: also the exact area of the union of buffered tracks (slow); left out: cells only.</param>
internal readonly record struct CoverageQuery(
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "town")] string? Town,
    [FromQuery(Name = "person")] string? Person,
    [FromQuery(Name = "mine")] string? Mine,
    [FromQuery(Name = "area")] string? Area);
