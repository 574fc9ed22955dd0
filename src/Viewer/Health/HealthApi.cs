using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using GeoMine.Geo;
using Npgsql;

namespace GeoMine.Viewer.Health;

/// <summary><c>GET /health</c>: the server is up, the database answers, and what it holds.</summary>
internal static class HealthApi
{
    private const string Counts = """
        SELECT postgis_lib_version(), current_setting('server_version'),
               (SELECT count(*) FROM jurisdiction WHERE level = 'town'),
               (SELECT count(*) FROM jurisdiction WHERE level = 'village'),
               (SELECT count(*) FROM closed_mine),
               (SELECT count(*) FROM sealed_shaft),
               (SELECT count(*) FROM mining_right),
               (SELECT count(*) FROM tailings_pond),
               (SELECT count(*) FROM facility)
        """;

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealthAsync).AllowAnonymous() // for load balancers and monitoring
            .WithTags(ApiTags.Health).WithName("getHealth").WithSummary("The server is up, the database answers, and what it holds")
            .Produces<HealthFailure>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthFailure>>> GetHealthAsync(NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        try
        {
            await using var command = db.CreateCommand(Counts);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return TypedResults.Ok(new HealthReport(
                "ok", now, ChinaTime.Format(now), reader.GetString(0), reader.GetString(1),
                new LayerCounts(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8))));
        }
        catch (NpgsqlException e)
        {
            return TypedResults.Json(new HealthFailure("database unavailable", e.Message, now),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    internal sealed record HealthReport(
        string Status, DateTimeOffset TimeUtc, string TimeChina, string Postgis, string Postgresql, LayerCounts Layers);

    /// <summary>503: the database does not answer.</summary>
    internal sealed record HealthFailure(string Status, string Error, DateTimeOffset TimeUtc);

    internal sealed record LayerCounts(
        long Towns, long Villages, long ClosedMines, long SealedShafts, long MiningRights, long TailingsPonds, long Facilities);
}
