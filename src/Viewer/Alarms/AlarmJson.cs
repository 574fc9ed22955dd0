using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Alarms;

namespace GeoMine.Viewer.Alarms;

/// <summary>Alarms as JSON for the map page and scripts: instants in China time (+08:00), evidence as stored.</summary>
internal static class AlarmJson
{
    public static JsonObject Summary(Alarm a) => new()
    {
        ["id"] = a.Id,
        ["version"] = a.Version,
        ["kind"] = a.Kind,
        ["severity"] = a.Severity,
        ["state"] = a.State,
        ["title"] = a.Title,
        ["object_kind"] = a.ObjectKind,
        ["started_at"] = ChinaTime.Iso(a.StartedAt),
        ["last_seen_at"] = ChinaTime.Iso(a.LastSeenAt),
        ["ended_at"] = a.EndedAt is { } e ? ChinaTime.Iso(e) : null,
        ["assignee"] = a.Assignee,
        ["deadline"] = a.Deadline is { } d ? ChinaTime.Iso(d) : null,
        ["outcome"] = a.Outcome,
        ["feedback"] = a.Feedback,
    };

    public static JsonObject Detail(Alarm a, AlarmPlace? place, IReadOnlyList<AlarmEvent> events)
    {
        var json = Summary(a);
        json["place"] = place is null ? null : new JsonObject { ["code"] = place.Code, ["lon"] = place.Longitude, ["lat"] = place.Latitude };
        json["evidence"] = a.Evidence.DeepClone();
        json["events"] = new JsonArray(events.Select(e => (JsonNode)new JsonObject
        {
            ["at"] = ChinaTime.Iso(e.At),
            ["actor"] = e.Actor,
            ["from_state"] = e.FromState,
            ["to_state"] = e.ToState,
            ["note"] = e.Note,
        }).ToArray());
        return json;
    }
}
