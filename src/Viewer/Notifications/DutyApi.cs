using GeoMine.Geo;
using GeoMine.Patrol.Notifications;
using GeoMine.Viewer.Access;
using GeoMine.Viewer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoMine.Viewer.Notifications;

/// <summary>
/// The duty roster (值班表) over HTTP, as <c>geomine duty list|add</c>: <c>GET /api/duty?days=7</c> lists the shifts from
/// today (China date) of the caller's towns and of the county; <c>POST /api/duty</c> puts an officer on duty for a town (a
/// coordinator only for their own towns) or the county (county roles only). Times are China time in and out. The duty
/// officer of a town is who SMS notifications reach (role <c>duty_officer</c>).
/// </summary>
internal static class DutyApi
{
    public static IEndpointRouteBuilder MapDutyApi(this IEndpointRouteBuilder routes)
    {
        var duty = routes.MapGroup("/api/duty").WithTags(ApiTags.Alarms);
        duty.MapGet("", ListAsync).WithName("listDutyShifts").WithSummary("Shifts of the duty roster from today on, of the caller's towns and the county")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        duty.MapPost("", AddAsync).WithName("addDutyShift").WithSummary("Put an officer on duty for a town or the county (no overlap with another shift there)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        return routes;
    }

    private static async Task<Results<Ok<DutyRosterView>, ProblemHttpResult>> ListAsync(Caller caller, DutyRoster roster, int? days, CancellationToken ct)
    {
        if (days is < 1 or > 62)
        {
            return Bad("days", "must be from 1 to 62");
        }

        var today = ChinaTime.StartOf(ChinaTime.Day(DateTime.UtcNow));
        var shifts = await roster.ListAsync(today, today.AddDays(days ?? 7), ct);
        return TypedResults.Ok(new DutyRosterView([.. shifts
            .Where(s => s.Level != "town" || caller.Scope.AllowsTown(s.JurisdictionCode))
            .Select(DutyShiftView.Of)]));
    }

    private static async Task<Results<Created<DutyShiftView>, ProblemHttpResult>> AddAsync(
        DutyShiftRequest body, Caller caller, DutyRoster roster, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Town))
        {
            return Bad("town", "is required: the code or name of a town, or of the county");
        }

        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return Bad("name", "is required: the officer on duty");
        }

        if (!ChinaTime.TryParseIso(body.From ?? "", out var from))
        {
            return Bad("from", $"'{body.From}' is not {ChinaTime.IsoForm}");
        }

        if (!ChinaTime.TryParseIso(body.To ?? "", out var to))
        {
            return Bad("to", $"'{body.To}' is not {ChinaTime.IsoForm}");
        }

        var town = body.Town.Trim();
        if (!caller.Scope.IsEverything && !caller.Scope.AllowsTown(town))
        {
            return TypedResults.Problem($"town: {town} is not one of your towns", statusCode: StatusCodes.Status403Forbidden, title: "not your town",
                extensions: new Dictionary<string, object?> { ["field"] = "town" });
        }

        try
        {
            await roster.AddAsync(town, body.Name.Trim(), string.IsNullOrWhiteSpace(body.Phone) ? null : body.Phone.Trim(), from, to, ct);
        }
        catch (DutyRosterException e)
        {
            return Bad(e.Message.StartsWith("the shift", StringComparison.Ordinal) ? "to" : "town", e.Message);
        }

        var shift = (await roster.ListAsync(from, to, ct)).First(s => (s.JurisdictionCode == town || s.JurisdictionName == town) && s.StartsAtUtc == from);
        return TypedResults.Created("/api/duty", DutyShiftView.Of(shift));
    }

    private static ProblemHttpResult Bad(string field, string detail) => FieldProblem.Bad("bad duty shift", field, $"{field}: {detail}");
}

/// <summary><c>POST /api/duty</c>: who is on duty where, from when to when.</summary>
/// <param name="Town">Code or name of a town, or of the county.</param>
/// <param name="Name">The officer.</param>
/// <param name="Phone">Their mobile phone (SMS notifications go there).</param>
/// <param name="From">Start, ISO-8601; no offset = China time.</param>
/// <param name="To">End, ISO-8601; no offset = China time.</param>
internal sealed record DutyShiftRequest(string? Town, string? Name, string? Phone, string? From, string? To);

/// <summary>The roster's shifts, by start.</summary>
internal sealed record DutyRosterView(IReadOnlyList<DutyShiftView> Shifts);

/// <summary>A shift: where (jurisdiction code, name and level: town or county), who, and from when to when (China time).</summary>
internal sealed record DutyShiftView(string Code, string Jurisdiction, string Level, string Name, string? Phone, string From, string To)
{
    public static DutyShiftView Of(DutyShift s) =>
        new(s.JurisdictionCode, s.JurisdictionName, s.Level, s.Name, s.Phone, ChinaTime.Iso(s.StartsAtUtc), ChinaTime.Iso(s.EndsAtUtc));
}
