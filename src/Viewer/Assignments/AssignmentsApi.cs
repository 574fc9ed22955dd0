using System.Text.Json;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Responsibility;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Cli;
using Microsoft.AspNetCore.Mvc;

namespace GeoMine.Viewer.Assignments;

/// <summary>
/// Responsibility (包保 / 一对一) and shaft patrol status over HTTP (JSON, snake_case; times ISO-8601, no offset = China
/// time, answered in China time). <c>object_kind</c>: <c>sealed_shaft</c> (default), <c>closed_mine</c>, <c>tailings_pond</c>,
/// <c>town</c> (any jurisdiction).
/// <list type="bullet">
/// <item><c>GET /api/assignments?object_kind=&amp;code=&amp;at=&amp;history=true</c>: holders at <c>at</c> (default now), or every period.</item>
/// <item><c>POST /api/assignments</c> <c>{object_kind, code, role, name, phone?, from?}</c>: 201; 409 when the role is held then.</item>
/// <item><c>POST /api/assignments/handover</c> <c>{object_kind, code, role, name, phone?, at?}</c>: ends the holder's period and
/// starts the successor's at the same instant, one transaction; 409 when nobody holds the role.</item>
/// <item><c>GET /api/shafts/{code}/status?at=</c>: last visit, next due, status (<c>unassigned</c> when nobody is the shaft's
/// responsible person, else <c>never</c>, <c>ok</c>, <c>due_soon</c>, <c>overdue</c>; <c>patrol</c> always has the latter).</item>
/// </list>
/// All or nothing; 400 names the field, 404 an unknown object.
/// </summary>
internal static class AssignmentsApi
{
    public static IEndpointRouteBuilder MapAssignmentsApi(this IEndpointRouteBuilder routes)
    {
        var assignments = routes.MapGroup("/api/assignments");
        assignments.MapGet("/", ListAsync);
        assignments.MapPost("/", (HttpRequest request, ResponsibilityService service, TimeProvider clock, CancellationToken ct) =>
            ChangeAsync(request, clock, "from", async (target, role, person, at) =>
                TypedResults.Json(Json(await service.AssignAsync(target, role, person, at, await TownsAsync(request), ct)), statusCode: StatusCodes.Status201Created)));
        assignments.MapPost("/handover", (HttpRequest request, ResponsibilityService service, TimeProvider clock, CancellationToken ct) =>
            ChangeAsync(request, clock, "at", async (target, role, person, at) =>
            {
                var (ended, started) = await service.HandoverAsync(target, role, person, at, await TownsAsync(request), ct);
                return TypedResults.Json(new JsonObject { ["ended"] = Json(ended), ["started"] = Json(started) });
            }));
        routes.MapGet("/api/shafts/{code}/status", StatusAsync);
        return routes;
    }

    /// <summary>The towns the signed-in caller may see and change; null = all.</summary>
    private static async Task<IReadOnlyCollection<string>?> TownsAsync(HttpRequest request) =>
        (await AccessSetup.ScopeAsync(request.HttpContext)).TownCodes;

    private static async Task<IResult> ListAsync(
        HttpRequest request, [FromQuery(Name = "object_kind")] string? objectKind, string? code, string? at, string? history, ResponsibilityService service,
        TimeProvider clock, CancellationToken ct)
    {
        try
        {
            var target = new ResponsibleObject(Kind(objectKind), Required("code", code));
            var all = history is not null && (bool.TryParse(history, out var h) ? h : throw new InputException("history", $"'{history}' is not true or false"));
            var when = Instant("at", at, clock);
            var rows = all ? await service.HistoryAsync(target, await TownsAsync(request), ct) : await service.CurrentAsync(target, when, await TownsAsync(request), ct);
            return TypedResults.Json(new JsonObject
            {
                ["object_kind"] = target.Kind,
                ["code"] = target.Code,
                ["at"] = all ? null : ChinaTime.Iso(when),
                ["assignments"] = new JsonArray(rows.Select(a => (JsonNode)Json(a)).ToArray()),
            });
        }
        catch (InputException e)
        {
            return Bad(e.Field, e.Message);
        }
        catch (UnknownObjectException e)
        {
            return NotFound(e.Message);
        }
    }

    private static async Task<IResult> ChangeAsync(
        HttpRequest request, TimeProvider clock, string timeField, Func<ResponsibleObject, string, ContactPerson, DateTime, Task<IResult>> change)
    {
        try
        {
            var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject
                ?? throw new InputException("body", "not a JSON object");
            var target = new ResponsibleObject(Kind(Text(body, "object_kind")), Required("code", Text(body, "code")));
            var role = Required("role", Text(body, "role"));
            if (!ResponsibilityRole.All.Contains(role))
            {
                throw new InputException("role", $"'{role}' is not one of {string.Join(", ", ResponsibilityRole.All)}");
            }

            var person = new ContactPerson(Required("name", Text(body, "name")), Text(body, "phone"));
            if (body[timeField] is JsonValue given && given.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(given.GetValue<string>()))
            {
                throw new InputException(timeField, "is empty: give a time, or leave the field out for now"); // never a silent "now"
            }

            return await change(target, role, person, Instant(timeField, Text(body, timeField), clock));
        }
        catch (JsonException e)
        {
            return Bad("body", $"not a JSON object: {e.Message}");
        }
        catch (InputException e)
        {
            return Bad(e.Field, e.Message);
        }
        catch (UnknownObjectException e)
        {
            return NotFound(e.Message);
        }
        catch (ResponsibilityConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "responsibility conflict");
        }
    }

    private static async Task<IResult> StatusAsync(
        HttpRequest request, string code, string? at, ShaftStatusService service, TimeProvider clock, CancellationToken ct)
    {
        DateTime when;
        try
        {
            when = Instant("at", at, clock);
        }
        catch (InputException e)
        {
            return Bad(e.Field, e.Message);
        }

        var s = await service.StatusAsync(code, when, await TownsAsync(request), ct);
        if (s is null)
        {
            return NotFound($"no sealed_shaft with code {code}");
        }

        var patrol = s.Rating.Status switch
        {
            PatrolStatus.NeverVisited => "never",
            PatrolStatus.Ok => "ok",
            PatrolStatus.DueSoon => "due_soon",
            _ => "overdue",
        };
        return TypedResults.Json(new JsonObject
        {
            ["code"] = s.Code,
            ["mine"] = s.MineCode,
            ["town"] = s.TownCode,
            ["mine_status"] = s.MineStatus,
            ["risk_class"] = s.RiskClass,
            ["at"] = ChinaTime.Iso(s.AtUtc),
            ["status"] = s.Unassigned ? "unassigned" : patrol,
            ["patrol"] = patrol,
            ["interval_days"] = s.Interval.TotalDays,
            ["last_visit_at"] = s.LastVisitAt is { } v ? ChinaTime.Iso(v) : null,
            ["next_due_at"] = s.Rating.DueAt is { } d ? ChinaTime.Iso(d) : null,
            ["escalated"] = s.Rating.Escalated,
            ["responsible"] = new JsonArray(s.Assignments.Select(a => (JsonNode)Json(a)).ToArray()),
        });
    }

    private static JsonObject Json(Assignment a) => new()
    {
        ["id"] = a.Id,
        ["role"] = a.Role,
        ["object_kind"] = a.ObjectKind,
        ["name"] = a.Person.Name,
        ["phone"] = a.Person.Phone,
        ["valid_from"] = ChinaTime.Iso(a.ValidFrom),
        ["valid_to"] = a.ValidTo is { } to ? ChinaTime.Iso(to) : null,
    };

    private static string Kind(string? text) => text switch
    {
        null or "" => "sealed_shaft",
        "sealed_shaft" or "closed_mine" or "tailings_pond" or "town" => text,
        _ => throw new InputException("object_kind", $"'{text}' is not sealed_shaft, closed_mine, tailings_pond or town"),
    };

    private static string Required(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new InputException(field, "is required") : text.Trim();

    private static string? Text(JsonObject body, string field) => body[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Trim() is { Length: > 0 } t ? t : null,
        _ => throw new InputException(field, "must be a string"),
    };

    private static DateTime Instant(string field, string? text, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return clock.GetUtcNow().UtcDateTime;
        }

        try
        {
            return JobsCommand.ParseAt(text);
        }
        catch (FormatException)
        {
            throw new InputException(field, $"'{text}' is not {ChinaTime.IsoForm}");
        }
    }

    private static IResult Bad(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "bad assignments request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "unknown object");

    private sealed class InputException(string field, string message) : Exception($"{field}: {message}")
    {
        public string Field { get; } = field;
    }
}
