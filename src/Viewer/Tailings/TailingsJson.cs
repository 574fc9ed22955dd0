using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GeoMine.Geo;
using GeoMine.Patrol.Tailings;

namespace GeoMine.Viewer.Tailings;

/// <summary>The reviewer's view of a pond as JSON, the same for <c>GET /api/tailings</c> and <c>geomine tailings review --format json</c>.
/// Distances in metres, storage in 万m³, elevations in metres, days as China dates, instants in China time (+08:00).</summary>
internal static class TailingsJson
{
    public static PondView Pond(PondRecord p)
    {
        var f = p.Facts;
        return new PondView(
            f.Code, f.Name, f.Town, p.Operator, f.Status, Day(f.DisusedSince), Day(p.ClosedOn), Day(p.DeregisteredOn), f.Head.Status,
            [.. f.Head.Facilities.Select(d => new DownstreamFacilityView(d.Code, d.Name, d.Kind, d.Population, d.AlongM, d.OffM, d.StraightM))],
            p.Class.Value, p.Class.Label, p.Class.Basis, p.Class.ByVolume, p.Class.ByHeight,
            p.Class.Override is { } o ? new ClassOverrideView(o.Value, o.Reason, o.Actor, ChinaTime.Iso(o.At)) : null,
            p.Storage10kM3, p.DamHeightM, f.DesignCrestM,
            f.Surveys.Count > 0 ? f.Surveys[^1].CrestM : null, f.Surveys.Count > 0 ? Day(f.Surveys[^1].SurveyedOn) : null,
            p.ConstructionMethod, p.PlanRef,
            [.. p.Persons.Select(x => new PondPersonView(x.Role, x.Name, x.Phone))],
            [.. TailingsWatchService.PondRoles.Where(r => p.Persons.All(x => x.Role != r) && !(r == "enterprise_principal" && f.Status == "no_operator"))],
            new SortedDictionary<string, string?>(f.LastInspection.ToDictionary(i => i.Key, i => Day(i.Value)), StringComparer.Ordinal),
            [.. p.Findings.Select(x => new PondFindingView(x.Kind, x.Severity, ChinaTime.Iso(x.Since), x.Title, x.Evidence.DeepClone().AsObject()))],
            [.. p.OpenAlarms.Select(a => new PondAlarmView(a.Id, a.Kind, a.Severity, a.State, a.Title, ChinaTime.Iso(a.StartedAt)))]);
    }

    public static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The reviewer's list: every pond in scope as of an instant, 头顶库 first.</summary>
/// <param name="AsOf">The instant the rules were evaluated at, China time.</param>
/// <param name="Town">The town asked for, or null.</param>
internal sealed record PondReview(string AsOf, string? Town, IReadOnlyList<PondView> Ponds);

/// <summary>One tailings pond as a reviewer reads it.</summary>
/// <param name="Status">in_use, disused, closed, deregistered or no_operator.</param>
/// <param name="HeadPond">头顶库: yes, no or unknown (no flow path).</param>
/// <param name="DownstreamFacilities">Facilities within 1 km downstream along the flow path, with distances in metres.</param>
/// <param name="Class">Class 1–5 (一–五等) in force, null when unknown.</param>
/// <param name="ClassLabel">The class as officials write it (一等…五等) or unknown.</param>
/// <param name="ClassBasis">What decided the class (storage, height, override).</param>
/// <param name="TotalStorage10kM3">Total storage, 万m³.</param>
/// <param name="DamHeightM">Dam height, metres.</param>
/// <param name="DesignCrestM">Design crest elevation, metres.</param>
/// <param name="CurrentCrestM">Latest surveyed crest elevation, metres.</param>
/// <param name="CrestSurveyedOn">Day of that survey (China date).</param>
/// <param name="MissingRoles">Responsibility roles nobody holds.</param>
/// <param name="LastInspections">Latest day of each inspection kind (China dates).</param>
/// <param name="Findings">What the watch rules find now.</param>
/// <param name="OpenAlarms">Alarms of the pond still in the loop.</param>
internal sealed record PondView(
    string Code, string Name, string? Town, string? Operator, string Status, string? DisusedSince, string? ClosedOn, string? DeregisteredOn,
    string HeadPond, IReadOnlyList<DownstreamFacilityView> DownstreamFacilities, int? Class, string ClassLabel, string ClassBasis,
    int? ClassByStorage, int? ClassByHeight, ClassOverrideView? ClassOverride,
    [property: JsonPropertyName("total_storage_10k_m3")] double? TotalStorage10kM3, double? DamHeightM, double? DesignCrestM,
    double? CurrentCrestM, string? CrestSurveyedOn, string? ConstructionMethod, string? PlanRef, IReadOnlyList<PondPersonView> Persons,
    IReadOnlyList<string> MissingRoles, IReadOnlyDictionary<string, string?> LastInspections, IReadOnlyList<PondFindingView> Findings,
    IReadOnlyList<PondAlarmView> OpenAlarms);

/// <summary>A facility downstream of a pond.</summary>
/// <param name="Population">People there, when known.</param>
/// <param name="AlongPathM">Distance from the dam toe along the flow path, metres.</param>
/// <param name="FromPathM">Distance from the flow path, metres.</param>
/// <param name="FromToeStraightM">Straight-line distance from the dam toe, metres.</param>
internal sealed record DownstreamFacilityView(
    string Code, string Name, string Kind, int? Population, double AlongPathM, double FromPathM, double FromToeStraightM);

/// <summary>A reviewer's override of the class.</summary>
/// <param name="At">When, China time.</param>
internal sealed record ClassOverrideView(int Class, string Reason, string Actor, string At);

/// <summary>A responsible person of the pond (government_leader, regulator, enterprise_principal).</summary>
internal sealed record PondPersonView(string Role, string Name, string? Phone);

/// <summary>A finding of the watch rules.</summary>
/// <param name="Since">Since when it holds, China time.</param>
/// <param name="Evidence">What it rests on (JSON).</param>
internal sealed record PondFindingView(string Kind, string Severity, string Since, string Title, JsonObject Evidence);

/// <summary>An alarm of the pond still in the loop.</summary>
/// <param name="StartedAt">First evidence, China time.</param>
internal sealed record PondAlarmView(long Id, string Kind, string Severity, string State, string Title, string StartedAt);
