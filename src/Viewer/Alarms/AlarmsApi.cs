using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Alarms;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Alarms;

/// <summary>
/// The alarm loop over HTTP (JSON, snake_case; instants in China time; a deadline without offset is China time):
/// <list type="bullet">
/// <item><c>GET /api/alarms?state=&amp;kind=&amp;town=&amp;limit=&amp;offset=</c>: newest first (town: jurisdiction code).</item>
/// <item><c>GET /api/alarms/{id}</c>: one alarm with its place, evidence and audit trail.</item>
/// <item><c>GET /api/alarms/kinds</c>: every alarm kind (<see cref="AlarmKinds"/>): code, default severity, object kind, labels,
/// description — what the page's filter and labels and the command line read.</item>
/// <item><c>POST /api/alarms/{id}/ack|assign|close|reopen</c>: <c>{"version": n}</c> plus
/// <c>assignee</c> and <c>deadline</c> (assign), <c>outcome</c> and <c>feedback</c> (close), <c>reason</c> (reopen).</item>
/// </list>
/// <c>version</c> is the one the caller saw: 409 when the alarm has moved on. 400 names the field, 404 an unknown alarm
/// or one outside the caller's towns. The audit rows name the signed-in user (display name and sign-in name), never a
/// name taken from the request.
/// </summary>
internal static class AlarmsApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAlarmsApi(this IEndpointRouteBuilder routes)
    {
        var alarms = routes.MapGroup("/api/alarms");
        alarms.MapGet("/", ListAsync);
        alarms.MapGet("/kinds", () => TypedResults.Ok(AlarmKinds.All.Select(AlarmKindView.Of).ToList()));
        alarms.MapGet("/{id:long}", GetAsync);
        alarms.MapPost("/{id:long}/ack", (long id, HttpContext http, AlarmStore store, CancellationToken ct) =>
            StepAsync(id, http, store, (body, version, actor) => store.AcknowledgeAsync(id, version, actor, ct), ct));
        alarms.MapPost("/{id:long}/assign", (long id, HttpContext http, AlarmStore store, CancellationToken ct) =>
            StepAsync(id, http, store, (body, version, actor) =>
                store.AssignAsync(id, version, actor, Text(body, "assignee"), Deadline(body), ct), ct));
        alarms.MapPost("/{id:long}/close", (long id, HttpContext http, AlarmStore store, CancellationToken ct) =>
            StepAsync(id, http, store, (body, version, actor) =>
                store.CloseAsync(id, version, actor, Outcome(body), Text(body, "feedback"), ct), ct));
        alarms.MapPost("/{id:long}/reopen", (long id, HttpContext http, AlarmStore store, CancellationToken ct) =>
            StepAsync(id, http, store, (body, version, actor) => store.ReopenAsync(id, version, actor, Text(body, "reason"), ct), ct));
        return routes;
    }

    /// <summary>Who takes a step: the signed-in user.</summary>
    internal static async Task<string> ActorAsync(HttpContext http) =>
        (await AccessSetup.CurrentAsync(http) ?? throw new InvalidOperationException("alarm steps need a signed-in user")).Actor;

    /// <summary>The towns whose alarms the caller may see (jurisdiction codes), narrowed to <paramref name="town"/> when
    /// given; null = every alarm. A coordinator asking for another town gets none.</summary>
    internal static async Task<IReadOnlyCollection<string>?> TownsAsync(HttpContext http, string? town)
    {
        var scope = await AccessSetup.ScopeAsync(http);
        var wanted = string.IsNullOrWhiteSpace(town) ? null : town.Trim();
        if (scope.IsEverything)
        {
            return wanted is null ? null : [wanted];
        }

        var mine = scope.TownCodes!;
        return wanted is null ? mine : mine.Contains(wanted) ? [wanted] : [];
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, string? state, string? kind, string? town, string? limit, string? offset, AlarmStore store, CancellationToken ct)
    {
        if (state is not (null or "" or "raised" or "acknowledged" or "verifying" or "closed"))
        {
            return Bad("state", $"'{state}' is not raised, acknowledged, verifying or closed");
        }

        if (Blank(kind) is { } wanted && AlarmKinds.Find(wanted) is null)
        {
            return Bad("kind", $"'{wanted}' is not an alarm kind ({string.Join(", ", AlarmKinds.All.Select(k => k.Code))}; GET /api/alarms/kinds)");
        }

        if (!QueryValues.TryCount(limit, DefaultLimit, out var take) || take is < 1 or > MaxLimit)
        {
            return Bad("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        if (!QueryValues.TryCount(offset, 0, out var skip))
        {
            return Bad("offset", "must be a whole number ≥ 0");
        }

        var alarms = await store.ListAsync(Blank(kind), Blank(state), await TownsAsync(http, town), take, skip, ct);
        return TypedResults.Json(new JsonObject
        {
            ["limit"] = take,
            ["offset"] = skip,
            ["alarms"] = new JsonArray(alarms.Select(a => (JsonNode)AlarmJson.Summary(a)).ToArray()),
        });
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, AlarmStore store, CancellationToken ct) =>
        await store.FindAsync(id, await TownsAsync(http, null), ct) is { } alarm
            ? TypedResults.Json(AlarmJson.Detail(alarm, await store.PlaceAsync(alarm, ct), await store.EventsAsync(id, ct)))
            : NotFound(id);

    private static async Task<IResult> StepAsync(
        long id, HttpContext http, AlarmStore store, Func<JsonObject, int, string, Task<Alarm>> step, CancellationToken ct)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct) as JsonObject
                ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException e)
        {
            return Bad("body", $"not a JSON object: {e.Message}");
        }

        if (await store.FindAsync(id, await TownsAsync(http, null), ct) is null)
        {
            return NotFound(id);
        }

        try
        {
            var version = body["version"] is JsonValue v && v.TryGetValue<int>(out var n)
                ? n
                : throw new AlarmInputException("version", "is required: the version of the alarm you saw (a whole number)");
            var alarm = await step(body, version, await ActorAsync(http));
            return TypedResults.Json(AlarmJson.Detail(alarm, await store.PlaceAsync(alarm, ct), await store.EventsAsync(id, ct)));
        }
        catch (AlarmInputException e)
        {
            return Bad(e.Field, e.Message);
        }
        catch (AlarmConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "the alarm has moved on");
        }
        catch (KeyNotFoundException)
        {
            return NotFound(id);
        }
    }

    private static string Text(JsonObject body, string field) =>
        body[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Trim() is { Length: > 0 } text
            ? text
            : throw new AlarmInputException(field, "is required (text)");

    private static string Outcome(JsonObject body) => Text(body, "outcome") is var outcome && outcome is "confirmed" or "false_alarm" or "handled"
        ? outcome
        : throw new AlarmInputException("outcome", $"'{outcome}' is not confirmed, false_alarm or handled");

    private static DateTime Deadline(JsonObject body)
    {
        var text = Text(body, "deadline");
        return ChinaTime.TryParseIso(text, out var utc) ? utc : throw new AlarmInputException("deadline", $"'{text}' is not {ChinaTime.IsoForm}");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IResult Bad(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad alarm request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static IResult NotFound(long id) =>
        TypedResults.Problem($"no alarm {id}", statusCode: StatusCodes.Status404NotFound, title: "unknown alarm");
}

/// <summary>One alarm kind as <c>GET /api/alarms/kinds</c> serves it.</summary>
/// <param name="Code">Stored code.</param>
/// <param name="Severity">Default severity: blue, yellow, orange or red.</param>
/// <param name="ObjectKind">What the alarm is about.</param>
/// <param name="LabelZh">Chinese label.</param>
/// <param name="LabelEn">English label.</param>
/// <param name="Description">What raises it.</param>
internal sealed record AlarmKindView(
    [property: System.Text.Json.Serialization.JsonPropertyName("code")] string Code,
    [property: System.Text.Json.Serialization.JsonPropertyName("severity")] string Severity,
    [property: System.Text.Json.Serialization.JsonPropertyName("object_kind")] string ObjectKind,
    [property: System.Text.Json.Serialization.JsonPropertyName("label_zh")] string LabelZh,
    [property: System.Text.Json.Serialization.JsonPropertyName("label_en")] string LabelEn,
    [property: System.Text.Json.Serialization.JsonPropertyName("description")] string Description)
{
    public static AlarmKindView Of(AlarmKind k) =>
        new(k.Code, GeoMine.Patrol.Monitoring.WarningLevels.Code(k.DefaultSeverity), k.ObjectKind, k.Chinese, k.English, k.Description);
}
