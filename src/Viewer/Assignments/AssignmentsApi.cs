using GeoMine.Geo;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Responsibility;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Cli;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
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
        var assignments = routes.MapGroup("/api/assignments").WithTags(ApiTags.Assignments);
        assignments.MapGet("/", ListAsync).WithName("listAssignments").WithSummary("Who holds each role of an object now, at a time, or over its history")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        assignments.MapPost("/", (AssignRequest body, Caller caller, ResponsibilityService service, TimeProvider clock, CancellationToken ct) =>
                ChangeAsync(new ChangeRequest(body.ObjectKind, body.Code, body.Role, body.Name, body.Phone, body.From), "from", clock, async (target, role, person, at) =>
                    TypedResults.Created((string?)null, AssignmentView.Of(await service.AssignAsync(target, role, person, at, caller.TownCodes, ct)))))
            .WithName("assign").WithSummary("Make someone responsible for an object from a time (包保 / 一对一)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        assignments.MapPost("/handover", (HandoverRequest body, Caller caller, ResponsibilityService service, TimeProvider clock, CancellationToken ct) =>
                ChangeAsync(new ChangeRequest(body.ObjectKind, body.Code, body.Role, body.Name, body.Phone, body.At), "at", clock, async (target, role, person, at) =>
                {
                    var (ended, started) = await service.HandoverAsync(target, role, person, at, caller.TownCodes, ct);
                    return TypedResults.Ok(new HandoverView(AssignmentView.Of(ended), AssignmentView.Of(started)));
                }))
            .WithName("handOver").WithSummary("Hand a role over: the holder's period ends and the successor's starts at the same instant")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        routes.MapGet("/api/shafts/{code}/status", StatusAsync).WithTags(ApiTags.Shafts)
            .WithName("getShaftStatus").WithSummary("A sealed shaft's patrol status: last visit, next due, responsible persons")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<AssignmentList>, ProblemHttpResult>> ListAsync(
        Caller caller, [FromQuery(Name = "object_kind")] string? objectKind, string? code, string? at, string? history, ResponsibilityService service,
        TimeProvider clock, CancellationToken ct)
    {
        try
        {
            var target = new ResponsibleObject(Kind(objectKind), Required("code", code));
            var all = history is not null && (bool.TryParse(history, out var h) ? h : throw new InputException("history", $"'{history}' is not true or false"));
            var when = Instant("at", at, clock);
            var rows = all ? await service.HistoryAsync(target, caller.TownCodes, ct) : await service.CurrentAsync(target, when, caller.TownCodes, ct);
            return TypedResults.Ok(new AssignmentList(target.Kind, target.Code, all ? null : ChinaTime.Iso(when), rows.Select(AssignmentView.Of).ToList()));
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

    /// <summary>The fields assigning and handing over share; <paramref name="Time"/> is <c>from</c> or <c>at</c>.</summary>
    private sealed record ChangeRequest(string? ObjectKind, string? Code, string? Role, string? Name, string? Phone, string? Time);

    private static async Task<Results<TResult, ProblemHttpResult>> ChangeAsync<TResult>(
        ChangeRequest body, string timeField, TimeProvider clock, Func<ResponsibleObject, string, ContactPerson, DateTime, Task<TResult>> change)
        where TResult : IResult
    {
        try
        {
            var target = new ResponsibleObject(Kind(Trimmed(body.ObjectKind)), Required("code", body.Code));
            var role = Required("role", body.Role);
            if (!ResponsibilityRole.All.Contains(role))
            {
                throw new InputException("role", $"'{role}' is not one of {string.Join(", ", ResponsibilityRole.All)}");
            }

            var person = new ContactPerson(Required("name", body.Name), Trimmed(body.Phone));
            if (body.Time is { } given && string.IsNullOrWhiteSpace(given))
            {
                throw new InputException(timeField, "is empty: give a time, or leave the field out for now"); // never a silent "now"
            }

            return await change(target, role, person, Instant(timeField, body.Time, clock));
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

    private static async Task<Results<Ok<ShaftStatusView>, ProblemHttpResult>> StatusAsync(
        Caller caller, string code, string? at, ShaftStatusService service, TimeProvider clock, CancellationToken ct)
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

        var s = await service.StatusAsync(code, when, caller.TownCodes, ct);
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
        return TypedResults.Ok(new ShaftStatusView(
            s.Code, s.MineCode, s.TownCode, s.MineStatus, s.RiskClass, ChinaTime.Iso(s.AtUtc), s.Unassigned ? "unassigned" : patrol, patrol,
            s.Interval.TotalDays, s.LastVisitAt is { } v ? ChinaTime.Iso(v) : null, s.Rating.DueAt is { } d ? ChinaTime.Iso(d) : null,
            s.Rating.Escalated, s.Assignments.Select(AssignmentView.Of).ToList()));
    }

    private static string Kind(string? text) => text switch
    {
        null or "" => "sealed_shaft",
        "sealed_shaft" or "closed_mine" or "tailings_pond" or "town" => text,
        _ => throw new InputException("object_kind", $"'{text}' is not sealed_shaft, closed_mine, tailings_pond or town"),
    };

    private static string Required(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new InputException(field, "is required") : text.Trim();

    private static string? Trimmed(string? text) => text?.Trim() is { Length: > 0 } t ? t : null;

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

    private static ProblemHttpResult Bad(string field, string detail) => FieldProblem.Bad("bad assignments request", field, detail);

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "unknown object");

    private sealed class InputException(string field, string message) : Exception($"{field}: {message}")
    {
        public string Field { get; } = field;
    }
}

/// <summary><c>POST /api/assignments</c>: who becomes responsible for what, from when.</summary>
/// <param name="ObjectKind">sealed_shaft (default), closed_mine, tailings_pond or town.</param>
/// <param name="Code">The object's code (town: jurisdiction code).</param>
/// <param name="Role">The role (see ResponsibilityRole): e.g. responsible, lead_leader.</param>
/// <param name="Name">The person.</param>
/// <param name="Phone">Their phone, optional.</param>
/// <param name="From">ISO-8601, no offset = China time; left out = now.</param>
internal sealed record AssignRequest(string? ObjectKind, string? Code, string? Role, string? Name, string? Phone, string? From);

/// <summary><c>POST /api/assignments/handover</c>: the successor of a role's holder, from when.</summary>
/// <param name="ObjectKind">sealed_shaft (default), closed_mine, tailings_pond or town.</param>
/// <param name="Code">The object's code.</param>
/// <param name="Role">The role handed over.</param>
/// <param name="Name">The successor.</param>
/// <param name="Phone">Their phone, optional.</param>
/// <param name="At">ISO-8601, no offset = China time; left out = now.</param>
internal sealed record HandoverRequest(string? ObjectKind, string? Code, string? Role, string? Name, string? Phone, string? At);

/// <summary>One period of responsibility (China time; valid_to null = still holds it).</summary>
internal sealed record AssignmentView(long Id, string Role, string ObjectKind, string Name, string? Phone, string ValidFrom, string? ValidTo)
{
    public static AssignmentView Of(Assignment a) =>
        new(a.Id, a.Role, a.ObjectKind, a.Person.Name, a.Person.Phone, ChinaTime.Iso(a.ValidFrom), a.ValidTo is { } to ? ChinaTime.Iso(to) : null);
}

/// <summary>The holders of an object's roles at <c>at</c> (null with history=true: every period).</summary>
internal sealed record AssignmentList(string ObjectKind, string Code, string? At, IReadOnlyList<AssignmentView> Assignments);

/// <summary>A handover: the period that ended and the one that started at the same instant.</summary>
internal sealed record HandoverView(AssignmentView Ended, AssignmentView Started);

/// <summary>A sealed shaft's patrol status at <c>at</c>.</summary>
/// <param name="Status">unassigned when nobody is the responsible person, else as <paramref name="Patrol"/>.</param>
/// <param name="Patrol">never, ok, due_soon or overdue.</param>
/// <param name="IntervalDays">Required patrol interval, days.</param>
internal sealed record ShaftStatusView(
    string Code, string? Mine, string? Town, string? MineStatus, string? RiskClass, string At, string Status, string Patrol, double IntervalDays,
    string? LastVisitAt, string? NextDueAt, bool Escalated, IReadOnlyList<AssignmentView> Responsible);
