using System.Text.Json;
using GeoMine.Patrol.Monitoring;
using GeoMine.Viewer.Positions;
using Npgsql;

namespace GeoMine.Viewer.Monitoring;

/// <summary>
/// Online monitoring of tailings ponds. <c>POST /api/monitoring</c> takes a JSON batch of readings (see
/// <see cref="MonitoringRequest"/>), all or nothing: 400 names each bad reading's index and field, 503 with
/// Retry-After while the database is down; success means committed and the ponds re-rated (alarms raised
/// within the request). <c>GET /api/monitoring/points?pond=CODE</c> lists points with their newest reading and level.
/// Points must be registered first (<c>geomine monitoring points add</c>).
/// </summary>
internal static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/monitoring");
        group.MapPost("", AddAsync);
        group.MapGet("/points", PointsAsync);
        return routes;
    }

    private static async Task<IResult> AddAsync(HttpRequest request, MonitoringReadingStore store, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return Bad("Content-Type: expected application/json");
        }

        try
        {
            IReadOnlyList<ReadingInput> readings;
            using (var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct))
            {
                readings = MonitoringRequest.Parse(json.RootElement);
            }

            var result = await store.StoreAsync(readings, ct);
            return TypedResults.Ok(new BatchResponse(result.Submitted, result.Stored, result.AlreadyStored,
                result.Ponds.Select(p => new PondResponse(p.PondCode, p.Level.Code(),
                    p.ItemLevels.ToDictionary(i => i.Key, i => i.Value.Code()), p.Alarm.ToString().ToLowerInvariant())).ToList()));
        }
        catch (JsonException e)
        {
            return Bad($"body: not JSON ({e.Message})");
        }
        catch (MonitoringInputException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "bad monitoring readings",
                extensions: new Dictionary<string, object?> { ["errors"] = e.Problems });
        }
        catch (NpgsqlException e) when (PositionsApi.IsUnavailable(e))
        {
            return new PositionsApi.RetryLater(e.Message);
        }
    }

    private static async Task<IResult> PointsAsync(string? pond, MonitoringRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListPointsAsync(pond, ct));

    private static IResult Bad(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad monitoring readings");

    internal sealed record BatchResponse(int Submitted, int Stored, int AlreadyStored, IReadOnlyList<PondResponse> Ponds);

    internal sealed record PondResponse(string Pond, string Level, IReadOnlyDictionary<string, string> Items, string Alarm);
}
