using System.Globalization;
using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Tailings;

namespace GeoMine.Viewer.Tailings;

/// <summary>The reviewer's view of a pond as JSON, the same for <c>GET /api/tailings</c> and <c>geomine tailings review --format json</c>.
/// Distances in metres, storage in 万m³, elevations in metres, days as China dates, instants in China time (+08:00).</summary>
internal static class TailingsJson
{
    public static JsonObject Pond(PondRecord p)
    {
        var f = p.Facts;
        return new JsonObject
        {
            ["code"] = f.Code,
            ["name"] = f.Name,
            ["town"] = f.Town,
            ["operator"] = p.Operator,
            ["status"] = f.Status,
            ["disused_since"] = Day(f.DisusedSince),
            ["closed_on"] = Day(p.ClosedOn),
            ["deregistered_on"] = Day(p.DeregisteredOn),
            ["head_pond"] = f.Head.Status,
            ["downstream_facilities"] = new JsonArray(f.Head.Facilities.Select(d => (JsonNode)new JsonObject
            {
                ["code"] = d.Code,
                ["name"] = d.Name,
                ["kind"] = d.Kind,
                ["population"] = d.Population,
                ["along_path_m"] = d.AlongM,
                ["from_path_m"] = d.OffM,
                ["from_toe_straight_m"] = d.StraightM,
            }).ToArray()),
            ["class"] = p.Class.Value,
            ["class_label"] = p.Class.Label,
            ["class_basis"] = p.Class.Basis,
            ["class_by_storage"] = p.Class.ByVolume,
            ["class_by_height"] = p.Class.ByHeight,
            ["class_override"] = p.Class.Override is { } o
                ? new JsonObject { ["class"] = o.Value, ["reason"] = o.Reason, ["actor"] = o.Actor, ["at"] = ChinaTime.Iso(o.At) }
                : null,
            ["total_storage_10k_m3"] = p.Storage10kM3,
            ["dam_height_m"] = p.DamHeightM,
            ["design_crest_m"] = f.DesignCrestM,
            ["current_crest_m"] = f.Surveys.Count > 0 ? f.Surveys[^1].CrestM : null,
            ["crest_surveyed_on"] = f.Surveys.Count > 0 ? Day(f.Surveys[^1].SurveyedOn) : null,
            ["construction_method"] = p.ConstructionMethod,
            ["plan_ref"] = p.PlanRef,
            ["persons"] = new JsonArray(p.Persons.Select(x => (JsonNode)new JsonObject
            {
                ["role"] = x.Role,
                ["name"] = x.Name,
                ["phone"] = x.Phone,
            }).ToArray()),
            ["missing_roles"] = new JsonArray(TailingsWatchService.PondRoles
                .Where(r => p.Persons.All(x => x.Role != r) && !(r == "enterprise_principal" && f.Status == "no_operator"))
                .Select(r => (JsonNode)r).ToArray()),
            ["last_inspections"] = new JsonObject(f.LastInspection.OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => KeyValuePair.Create(i.Key, (JsonNode?)Day(i.Value)))),
            ["findings"] = new JsonArray(p.Findings.Select(x => (JsonNode)new JsonObject
            {
                ["kind"] = x.Kind,
                ["severity"] = x.Severity,
                ["since"] = ChinaTime.Iso(x.Since),
                ["title"] = x.Title,
                ["evidence"] = x.Evidence.DeepClone(),
            }).ToArray()),
            ["open_alarms"] = new JsonArray(p.OpenAlarms.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["kind"] = a.Kind,
                ["severity"] = a.Severity,
                ["state"] = a.State,
                ["title"] = a.Title,
                ["started_at"] = ChinaTime.Iso(a.StartedAt),
            }).ToArray()),
        };
    }

    public static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
