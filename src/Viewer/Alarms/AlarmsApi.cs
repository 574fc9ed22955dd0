using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Notifications;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

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
        var alarms = routes.MapGroup("/api/alarms").WithTags(ApiTags.Alarms);
        alarms.MapGet("/", ListAsync).WithName("listAlarms").WithSummary("Alarms, newest first, filtered by state, kind and town")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        alarms.MapGet("/kinds", () => TypedResults.Ok(AlarmKinds.All.Select(AlarmKindView.Of).ToList()))
            .WithName("listAlarmKinds").WithSummary("Every alarm kind: code, default severity, object kind, labels, description");
        // Live list: server-sent events of the alarms the caller may see, as they are raised or change on any node.
        alarms.MapGet("/stream", (Caller caller, AlarmFeed feed, HttpContext context, CancellationToken ct) =>
            {
                context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx passes each event on at once
                return TypedResults.ServerSentEvents(Stream(caller, feed, ct));
            })
            .WithName("streamAlarms")
            .WithSummary("Server-sent events (event: alarm) of alarms raised or changed in the caller's towns, from any node; a comment every 20 s keeps proxies open");
        alarms.MapGet("/{id:long}", GetAsync).WithName("getAlarm").WithSummary("One alarm with its place, evidence and audit trail")
            .ProducesProblem(StatusCodes.Status404NotFound);
        Step(alarms, "ack", "acknowledgeAlarm", "Acknowledge an alarm (接报)", (store, id, body, actor, ct) =>
            store.AcknowledgeAsync(id, body.Version!.Value, actor, ct));
        Step(alarms, "assign", "assignAlarm", "Send someone to verify on site, with a deadline (核查)", (store, id, body, actor, ct) =>
            store.AssignAsync(id, body.Version!.Value, actor, Text(body.Assignee, "assignee"), Deadline(body.Deadline), ct));
        Step(alarms, "close", "closeAlarm", "Close an alarm with the outcome of the check (消警 / 反馈)", (store, id, body, actor, ct) =>
            store.CloseAsync(id, body.Version!.Value, actor, Outcome(body.Outcome), Text(body.Feedback, "feedback"), ct));
        Step(alarms, "reopen", "reopenAlarm", "Reopen a closed alarm, with the reason", (store, id, body, actor, ct) =>
            store.ReopenAsync(id, body.Version!.Value, actor, Text(body.Reason, "reason"), ct));
        return routes;
    }

    /// <summary>Changes the caller may see as <c>event: alarm</c>, and an <c>event: ping</c> after 20 s of silence so that
    /// proxies and the browser keep the stream open.</summary>
    private static async IAsyncEnumerable<SseItem<AlarmChange>> Stream(
        Caller caller, AlarmFeed feed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = feed.Subscribe();
        yield return new SseItem<AlarmChange>(AlarmChange.Ping, "ping"); // open: the page knows it is live
        while (!ct.IsCancellationRequested)
        {
            // A pending wait is simply cancelled with the request: nothing to dispose half-way.
            var ready = subscription.Reader.WaitToReadAsync(ct).AsTask();
            if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20), ct)) != ready)
            {
                if (!ct.IsCancellationRequested)
                {
                    yield return new SseItem<AlarmChange>(AlarmChange.Ping, "ping");
                }

                continue;
            }

            if (!ready.IsCompletedSuccessfully || !ready.Result)
            {
                yield break;
            }

            while (subscription.Reader.TryRead(out var change))
            {
                if (change.Change == "resync" || caller.Scope.Allows(change.TownId))
                {
                    yield return new SseItem<AlarmChange>(change, "alarm");
                }
            }
        }
    }

    /// <summary>The towns whose alarms the caller may see (jurisdiction codes), narrowed to <paramref name="town"/> when
    /// given; null = every alarm. A coordinator asking for another town gets none.</summary>
    internal static IReadOnlyCollection<string>? Towns(Caller caller, string? town)
    {
        var wanted = string.IsNullOrWhiteSpace(town) ? null : town.Trim();
        if (caller.Scope.IsEverything)
        {
            return wanted is null ? null : [wanted];
        }

        var mine = caller.TownCodes!;
        return wanted is null ? mine : mine.Contains(wanted) ? [wanted] : [];
    }

    private static async Task<Results<Ok<AlarmList>, ProblemHttpResult>> ListAsync(
        Caller caller, string? state, string? kind, string? town, string? limit, string? offset, AlarmStore store, CancellationToken ct)
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

        var alarms = await store.ListAsync(Blank(kind), Blank(state), Towns(caller, town), take, skip, ct);
        return TypedResults.Ok(new AlarmList(take, skip, alarms.Select(AlarmSummary.Of).ToList()));
    }

    private static async Task<Results<Ok<AlarmDetail>, ProblemHttpResult>> GetAsync(
        long id, Caller caller, AlarmStore store, NpgsqlDataSource db, CancellationToken ct) =>
        await store.FindAsync(id, Towns(caller, null), ct) is { } alarm
            ? TypedResults.Ok(AlarmDetail.Of(alarm, await store.PlaceAsync(alarm, ct), await store.EventsAsync(id, ct), await NoticeLog.ForAlarmAsync(db, id, ct)))
            : NotFound(id);

    /// <summary>One step of the loop: <c>POST /api/alarms/{id}/{step}</c> with an <see cref="AlarmStepRequest"/>.</summary>
    private static void Step(
        RouteGroupBuilder alarms, string step, string name, string summary, Func<AlarmStore, long, AlarmStepRequest, string, CancellationToken, Task<Alarm>> take) =>
        alarms.MapPost($"/{{id:long}}/{step}", async Task<Results<Ok<AlarmDetail>, ProblemHttpResult>> (
                long id, AlarmStepRequest body, Caller caller, AlarmStore store, NpgsqlDataSource db, CancellationToken ct) =>
            {
                if (await store.FindAsync(id, Towns(caller, null), ct) is null)
                {
                    return NotFound(id);
                }

                try
                {
                    if (body.Version is null)
                    {
                        throw new AlarmInputException("version", "is required: the version of the alarm you saw (a whole number)");
                    }

                    var alarm = await take(store, id, body, caller.Actor, ct);
                    return TypedResults.Ok(AlarmDetail.Of(alarm, await store.PlaceAsync(alarm, ct), await store.EventsAsync(id, ct),
                        await NoticeLog.ForAlarmAsync(db, id, ct)));
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
            })
            .WithName(name).WithSummary(summary)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static string Text(string? value, string field) =>
        value?.Trim() is { Length: > 0 } text ? text : throw new AlarmInputException(field, "is required (text)");

    private static string Outcome(string? value) => Text(value, "outcome") is var outcome && outcome is "confirmed" or "false_alarm" or "handled"
        ? outcome
        : throw new AlarmInputException("outcome", $"'{outcome}' is not confirmed, false_alarm or handled");

    private static DateTime Deadline(string? value)
    {
        var text = Text(value, "deadline");
        return ChinaTime.TryParseIso(text, out var utc) ? utc : throw new AlarmInputException("deadline", $"'{text}' is not {ChinaTime.IsoForm}");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ProblemHttpResult Bad(string field, string detail) => FieldProblem.Bad("bad alarm request", field, detail);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"no alarm {id}", statusCode: StatusCodes.Status404NotFound, title: "unknown alarm");
}

/// <summary>The body of a step of the alarm loop (<c>POST /api/alarms/{id}/ack|assign|close|reopen</c>).</summary>
/// <param name="Version">The version of the alarm the caller saw (required): 409 when the alarm has moved on since.</param>
/// <param name="Assignee">assign: who verifies on site.</param>
/// <param name="Deadline">assign: by when, ISO-8601 (no offset = China time).</param>
/// <param name="Outcome">close: confirmed, false_alarm or handled.</param>
/// <param name="Feedback">close: what was found and done (核查反馈).</param>
/// <param name="Reason">reopen: why.</param>
internal sealed record AlarmStepRequest(int? Version, string? Assignee, string? Deadline, string? Outcome, string? Feedback, string? Reason);

/// <summary>A page of alarms (<c>GET /api/alarms</c>).</summary>
internal sealed record AlarmList(int Limit, int Offset, IReadOnlyList<AlarmSummary> Alarms);

/// <summary>An alarm in a list: instants ISO-8601 in China time (+08:00).</summary>
internal record AlarmSummary
{
    public required long Id { get; init; }
    /// <summary>Changes with every step: send it back with the next step.</summary>
    public required int Version { get; init; }
    /// <summary>Alarm kind code (GET /api/alarms/kinds).</summary>
    public required string Kind { get; init; }
    /// <summary>blue, yellow, orange or red.</summary>
    public required string Severity { get; init; }
    /// <summary>raised, acknowledged, verifying or closed.</summary>
    public required string State { get; init; }
    public required string Title { get; init; }
    public required string ObjectKind { get; init; }
    public required string StartedAt { get; init; }
    public required string LastSeenAt { get; init; }
    public string? EndedAt { get; init; }
    public string? Assignee { get; init; }
    public string? Deadline { get; init; }
    public string? Outcome { get; init; }
    public string? Feedback { get; init; }

    public static AlarmSummary Of(Alarm a) => new()
    {
        Id = a.Id, Version = a.Version, Kind = a.Kind, Severity = a.Severity, State = a.State, Title = a.Title, ObjectKind = a.ObjectKind,
        StartedAt = ChinaTime.Iso(a.StartedAt), LastSeenAt = ChinaTime.Iso(a.LastSeenAt),
        EndedAt = a.EndedAt is { } e ? ChinaTime.Iso(e) : null, Assignee = a.Assignee,
        Deadline = a.Deadline is { } d ? ChinaTime.Iso(d) : null, Outcome = a.Outcome, Feedback = a.Feedback,
    };
}

/// <summary>One alarm with its place, evidence (as stored by the rule that raised it) and audit trail.</summary>
internal sealed record AlarmDetail : AlarmSummary
{
    /// <summary>The alarm's object on the map (EPSG:4490 degrees); null when it has no position.</summary>
    public AlarmPlaceView? Place { get; init; }
    public required JsonObject Evidence { get; init; }
    public required IReadOnlyList<AlarmEventView> Events { get; init; }

    /// <summary>Who was told (each channel's delivery of each notice) and how it went.</summary>
    public required IReadOnlyList<AlarmNotificationView> Notifications { get; init; }

    public static AlarmDetail Of(Alarm a, AlarmPlace? place, IReadOnlyList<AlarmEvent> events, IReadOnlyList<NoticeDelivery> notifications)
    {
        var summary = AlarmSummary.Of(a);
        return new AlarmDetail
        {
            Id = summary.Id, Version = summary.Version, Kind = summary.Kind, Severity = summary.Severity, State = summary.State,
            Title = summary.Title, ObjectKind = summary.ObjectKind, StartedAt = summary.StartedAt, LastSeenAt = summary.LastSeenAt,
            EndedAt = summary.EndedAt, Assignee = summary.Assignee, Deadline = summary.Deadline, Outcome = summary.Outcome, Feedback = summary.Feedback,
            Place = place is null ? null : new AlarmPlaceView(place.Code, place.Longitude, place.Latitude),
            Evidence = (JsonObject)a.Evidence.DeepClone(),
            Events = events.Select(e => new AlarmEventView(ChinaTime.Iso(e.At), e.Actor, e.FromState, e.ToState, e.Note)).ToList(),
            Notifications = notifications.Select(n => new AlarmNotificationView(
                n.Channel, n.Event, n.Severity, n.State, n.Attempts, ChinaTime.Iso(n.NoticedAtUtc),
                n.DeliveredAtUtc is { } d ? ChinaTime.Iso(d) : null, n.State == "pending" ? ChinaTime.Iso(n.NextAttemptAtUtc) : null, n.LastError)).ToList(),
        };
    }
}

/// <summary>One channel's delivery of an alarm notice.</summary>
/// <param name="Channel">The channel's name (Notifications:Channels).</param>
/// <param name="Event">raised, severity_raised or ack_escalated.</param>
/// <param name="Severity">The alarm's severity at the event.</param>
/// <param name="State">delivered, pending or failed (given up).</param>
/// <param name="Attempts">Sends tried.</param>
/// <param name="NoticedAt">When the event happened, China time.</param>
/// <param name="DeliveredAt">When the peer took it, China time.</param>
/// <param name="NextAttemptAt">When a pending delivery is due (after quiet hours or a failure), China time.</param>
/// <param name="LastError">What went wrong last time (never an address or a key).</param>
internal sealed record AlarmNotificationView(
    string Channel, string Event, string Severity, string State, int Attempts, string NoticedAt, string? DeliveredAt, string? NextAttemptAt,
    string? LastError);

/// <summary>Where an alarm's object is: its code and EPSG:4490 longitude, latitude in degrees.</summary>
internal sealed record AlarmPlaceView(string Code, double Lon, double Lat);

/// <summary>One audit row of the loop: when (China time), who (the signed-in user), from which state to which, note.</summary>
internal sealed record AlarmEventView(string At, string Actor, string? FromState, string ToState, string? Note);

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
