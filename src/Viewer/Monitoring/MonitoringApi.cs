using GeoMine.Viewer.Hosting;
using System.Text.Json;
using GeoMine.Geo.Import;
using GeoMine.Patrol.Monitoring;
using GeoMine.Viewer.Access;
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
        var group = routes.MapGroup("/api/monitoring").WithTags(ApiTags.Monitoring);
        // Readings come from the county's monitoring platforms, not from a town's desk.
        group.MapPost("", AddAsync).RequireAuthorization(AccessSetup.CountyWidePolicy).WithName("postMonitoringReadings")
            .WithSummary("Readings of registered monitoring points, all or nothing; answers each pond's warning level")
            .Accepts<MonitoringBatch>("application/json").Produces<MonitoringBatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/points", PointsAsync).Produces<IReadOnlyList<MonitoringPoint>>().WithName("listMonitoringPoints").WithSummary("Monitoring points of a pond (every pond: county-wide roles)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
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
            return TypedResults.Ok(new MonitoringBatchResponse(result.Submitted, result.Stored, result.AlreadyStored,
                result.Ponds.Select(p => new MonitoringPondLevel(p.PondCode, p.Level.Code(),
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

    private static async Task<IResult> PointsAsync(Caller caller, string? pond, MonitoringRegistry registry, NpgsqlDataSource db, CancellationToken ct)
    {
        var scope = caller.Scope;
        if (pond is not null && !await scope.HoldsAsync(db, LayerKind.Tailings, pond, ct))
        {
            return TypedResults.Problem($"no tailings pond with code {pond}", statusCode: StatusCodes.Status404NotFound, title: "unknown pond");
        }

        if (pond is null && !scope.IsEverything)
        {
            return TypedResults.Problem("name the pond (pond=CODE): the list of every pond is for county-wide roles",
                statusCode: StatusCodes.Status400BadRequest, title: "bad request", extensions: new Dictionary<string, object?> { ["field"] = "pond" });
        }

        return TypedResults.Ok(await registry.ListPointsAsync(pond, ct));
    }

    private static IResult Bad(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad monitoring readings");

    /// <summary>The body of <c>POST /api/monitoring</c> (what <see cref="MonitoringRequest"/> reads; every reading is checked, all problems answered).</summary>
    internal sealed record MonitoringBatch(IReadOnlyList<MonitoringReading> Readings);

    /// <summary>One reading: pond and point codes, item (e.g. 浸润线埋深, 库水位), when (ISO-8601, no offset = China time), value, unit.</summary>
    internal sealed record MonitoringReading(string Pond, string Point, string Item, string MeasuredAt, double Value, string Unit);

    /// <summary>What a batch did: readings submitted, stored, already stored, and each pond's level per item and alarm.</summary>
    internal sealed record MonitoringBatchResponse(int Submitted, int Stored, int AlreadyStored, IReadOnlyList<MonitoringPondLevel> Ponds);

    internal sealed record MonitoringPondLevel(string Pond, string Level, IReadOnlyDictionary<string, string> Items, string Alarm);
}
