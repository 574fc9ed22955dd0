using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using System.IO.Pipelines;
using System.Text.Json;
using GeoMine.Patrol.Positions;
using GeoMine.Viewer.Access;
using Npgsql;

namespace GeoMine.Viewer.Positions;

/// <summary>
/// Position feeds. Every sender gets success only after its fixes are committed; while the
/// database is unreachable it gets 503 with Retry-After and nothing is claimed stored.
/// </summary>
internal static class PositionsApi
{
    /// <summary>The header a device sends its own ingest token in (feeds also take <c>token=</c>, as Traccar Client URLs carry it).</summary>
    public const string DeviceTokenHeader = "X-GeoMine-Token";

    /// <summary>Seconds a sender is asked to wait when the database is down.</summary>
    private const string RetryAfterSeconds = "10";

    public static IEndpointRouteBuilder MapPositionsApi(this IEndpointRouteBuilder routes, int osmAndPort)
    {
        // Traccar Client's server URL is http://HOST:5055 and it sends to "/".
        // Devices prove themselves with their own ingest tokens (X-GeoMine-Token), not with a user's sign-in.
        var feeds = routes.MapGroup("").WithTags(ApiTags.Feeds).AllowAnonymous();
        foreach (var (path, host) in new[] { ("/", true), ("/api/osmand", false) })
        {
            var name = host ? "OsmAndRoot" : "OsmAnd";
            var get = feeds.MapGet(path, OsmAndAsync).WithName($"get{name}").WithSummary("One fix, OsmAnd protocol parameters in the query (Traccar Client)");
            var post = feeds.MapPost(path, OsmAndAsync).WithName($"post{name}")
                .WithSummary("One fix, OsmAnd protocol parameters in the query or a form, or Traccar Client's JSON body");
            foreach (var endpoint in new[] { get, post })
            {
                endpoint.Produces(StatusCodes.Status200OK).AddOpenApiOperationTransformer((operation, _, _) => { OsmAndParameters(operation); return Task.CompletedTask; }).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
                    .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
                if (host)
                {
                    endpoint.RequireHost($"*:{osmAndPort}");
                }
            }
        }

        feeds.MapPost("/api/positions", BatchAsync).WithName("postPositions").WithSummary("A batch of fixes from one or many devices, all or nothing")
            .Accepts<PositionBatchItem[]>("application/json").Produces<BatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<IResult> OsmAndAsync(
        HttpRequest request, PositionIngestor ingestor, SosAlarms sos, TimeProvider clock, ILogger<PositionIngestor> log, CancellationToken ct)
    {
        IReadOnlyList<PositionFix> fixes;
        string? alarm = null;
        try
        {
            if (request.HasJsonContentType())
            {
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                fixes = OsmAndRequest.FromJsonBody(json.RootElement);
            }
            else
            {
                var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
                string? Get(string name) => request.Query.TryGetValue(name, out var q) && !string.IsNullOrEmpty(q)
                    ? q.ToString()
                    : form is not null && form.TryGetValue(name, out var f) && !string.IsNullOrEmpty(f) ? f.ToString() : null;
                fixes = [OsmAndRequest.FromParameters(Get, clock.GetUtcNow().UtcDateTime)];
                alarm = OsmAndRequest.Alarm(Get);
            }
        }
        catch (Exception e) when (e is FixParseException or JsonException)
        {
            return BadRequest(e.Message);
        }

        var fix = fixes[0];
        var answer = await StoreAsync(request, ingestor, fixes, ct, r => r.Rejected.ContainsKey(RejectionReason.UnknownDevice)
            ? TypedResults.Problem($"id: device '{fix.DeviceKey}' is not registered and unknown devices are refused here",
                statusCode: StatusCodes.Status403Forbidden, title: "unknown device")
            : TypedResults.Ok());
        if (answer is Ok && alarm is not null)
        {
            // The fix is committed (or was already): an SOS becomes a red alarm about the phone at that fix before the phone
            // hears 200. Another alarm value is not acted on, and the log says so.
            if (alarm != "sos")
            {
                log.LogWarning("device {Device} sent alarm={Alarm}: only sos raises an alarm; the fix is stored", fix.DeviceKey, alarm);
            }
            else if (await sos.RaiseAsync(fix.DeviceKey, fix.FixTimeUtc, ct) is null)
            {
                log.LogWarning("device {Device} sent SOS but is not registered (or its fix was not stored): no alarm", fix.DeviceKey);
            }
        }

        return answer;
    }

    private static async Task<IResult> BatchAsync(HttpRequest request, PositionIngestor ingestor, CancellationToken ct)
    {
        IReadOnlyList<PositionFix> fixes;
        try
        {
            if (!request.HasJsonContentType())
            {
                return BadRequest("Content-Type: expected application/json");
            }

            // The whole body, then one pass of Utf8JsonReader over its bytes (Kestrel caps the size).
            var body = request.BodyReader;
            var read = await body.ReadAsync(ct);
            while (!read.IsCompleted)
            {
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End); // nothing consumed yet: wait for more
                read = await body.ReadAsync(ct);
            }

            try
            {
                fixes = BatchRequest.Parse(read.Buffer);
            }
            finally
            {
                body.AdvanceTo(read.Buffer.End);
            }
        }
        catch (Exception e) when (e is FixParseException or JsonException)
        {
            return BadRequest(e.Message);
        }

        return await StoreAsync(request, ingestor, fixes, ct, r => TypedResults.Ok(new BatchResponse(
            r.Submitted, r.Stored, r.Rejected.ToDictionary(p => PositionIngestor.ReasonCode(p.Key), p => p.Value))));
    }

    private static async Task<IResult> StoreAsync(
        HttpRequest request, PositionIngestor ingestor, IReadOnlyList<PositionFix> fixes, CancellationToken ct, Func<IngestResult, IResult> ok)
    {
        try
        {
            var result = await ingestor.IngestAsync(fixes, Token(request), request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?", ct);
            if (result.Stored > 0)
            {
                // Committed: classify them on this node now, not at the next minute's job.
                request.HttpContext.RequestServices.GetService<LiveDetection>()?.FixesStored();
            }

            if (result.Rejected.GetValueOrDefault(RejectionReason.BadToken) > 0)
            {
                // A sender must learn that its token is wrong: with 200 it would go on sending into nothing.
                return new Challenge(
                    $"{DeviceTokenHeader} (or token=): wrong or missing for a device that requires one; nothing of this request was stored ({result.Submitted} fixes)",
                    "wrong device token");
            }

            return ok(result);
        }
        catch (NpgsqlException e) when (IsUnavailable(e))
        {
            return new RetryLater(e.Message);
        }
    }

    /// <summary>Connection failures and server shutdown/startup: the fixes were not committed.</summary>
    internal static bool IsUnavailable(NpgsqlException e) =>
        (e is not PostgresException && e.InnerException is not TimeoutException) || ((PostgresException)e).SqlState.StartsWith("57", StringComparison.Ordinal)
                                   || ((PostgresException)e).SqlState.StartsWith("08", StringComparison.Ordinal);

    private static string? Token(HttpRequest request) =>
        request.Headers.TryGetValue(DeviceTokenHeader, out var h) ? h.ToString()
        : request.Query.TryGetValue("token", out var q) ? q.ToString() : null;

    private static IResult BadRequest(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "bad position request");

    /// <summary>What a batch did: fixes submitted, stored, and rejected by reason (unknown_device, duplicate, …).</summary>
    internal sealed record BatchResponse(int Submitted, int Stored, IReadOnlyDictionary<string, int> Rejected);

    /// <summary>The OsmAnd protocol's parameters as <see cref="OsmAndRequest"/> reads them (query, or form fields on POST).</summary>
    private static readonly (string Name, string Description)[] OsmAndQuery =
    [
        ("id", "Device id (deviceid also accepted)."),
        ("timestamp", "Time of the fix: epoch seconds or milliseconds, or ISO-8601."),
        ("lat", "Latitude, WGS84 degrees (GCJ-02 for devices registered so)."),
        ("lon", "Longitude, WGS84 degrees."),
        ("location", "'lat,lon' instead of lat and lon."),
        ("speed", "Speed: knots (Traccar Client), m/s when the request has hdop and no accuracy (the OsmAnd app), else as speed_unit says."),
        ("speed_unit", "knots (default), mps or kmh: the unit of speed for other senders."),
        ("bearing", "Course over ground, degrees."),
        ("altitude", "Altitude, metres."),
        ("accuracy", "Horizontal accuracy, metres (Traccar Client)."),
        ("hdop", "The OsmAnd app's {3}: its accuracy in metres, stored as the accuracy when no accuracy is sent."),
        ("batt", "Battery level, percent; -1 = unknown (stored as no value)."),
        ("alarm", "Traccar Client's alarm: sos raises a red phone_sos alarm about the phone at this fix."),
        ("charge", "Traccar Client: charging (true/false); accepted and not stored."),
        ("motion", "Traccar Client: moving (true/false); accepted and not stored."),
        ("mock", "Traccar Client: the fix came from a mock location provider; accepted and not stored."),
        ("token", "The device's ingest token, when it has one (or header " + DeviceTokenHeader + ")."),
    ];

    private static Microsoft.OpenApi.OpenApiOperation OsmAndParameters(Microsoft.OpenApi.OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        foreach (var (name, description) in OsmAndQuery)
        {
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = name, In = Microsoft.OpenApi.ParameterLocation.Query, Description = description,
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
            });
        }

        return operation;
    }

    /// <summary>503 with Retry-After: the database is unreachable and nothing was stored.</summary>
    internal sealed class RetryLater(string reason) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            // The reason (a server address, a PostgreSQL message) goes to the log, never to the sender.
            httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GeoMine.Database")
                .LogWarning("database unavailable for {Path}: {Reason}", httpContext.Request.Path, reason);
            return TypedResults.Problem("the database is unavailable; nothing was stored. Send again after Retry-After seconds.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "retry later").ExecuteAsync(httpContext);
        }
    }
}

/// <summary>One element of <c>POST /api/positions</c> (documentation of what <see cref="BatchRequest"/> reads).</summary>
/// <param name="DeviceId">The registered device.</param>
/// <param name="Time">ISO-8601 or epoch seconds/milliseconds.</param>
/// <param name="Lon">Longitude, WGS84 degrees (GCJ-02 for devices registered so).</param>
/// <param name="Lat">Latitude, WGS84 degrees.</param>
/// <param name="AltitudeM">Altitude, metres.</param>
/// <param name="AccuracyM">Horizontal accuracy, metres.</param>
/// <param name="SpeedMps">Speed, metres per second.</param>
/// <param name="BearingDeg">Course, degrees from north.</param>
/// <param name="BatteryPct">Battery, percent.</param>
internal sealed record PositionBatchItem(
    string DeviceId, string Time, double Lon, double Lat, double? AltitudeM, double? AccuracyM, double? SpeedMps, double? BearingDeg, double? BatteryPct);
