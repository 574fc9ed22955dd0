using System.Text.Json.Nodes;
using GeoMine.Geo;
using GeoMine.Patrol.Coverage;
using GeoMine.Patrol.Obligations;

namespace GeoMine.Viewer.Coverage;

/// <summary>Patrol coverage as JSON, the same for <c>GET /api/patrol/coverage</c> and <c>geomine patrol coverage --format json</c>,
/// and as GeoJSON for the map (lon/lat, CRS84). Instants in China time (+08:00); km, hours, km², metres as named.</summary>
internal static class CoverageJson
{
    public static JsonObject Tables(PatrolCoverage c)
    {
        var s = c.Summary;
        return new JsonObject
        {
            ["from"] = ChinaTime.Iso(s.FromUtc),
            ["to"] = ChinaTime.Iso(s.ToUtc),
            ["scope"] = new JsonObject { ["town"] = c.Scope.Town, ["person"] = c.Scope.Person, ["mine"] = c.Scope.Mine },
            ["summary"] = new JsonObject
            {
                ["shafts"] = s.Shafts,
                ["visited_within_interval"] = s.VisitedWithinInterval,
                ["visited_within_interval_pct"] = s.VisitedWithinIntervalPercent is { } pct ? Math.Round(pct, 1) : null,
                ["overdue"] = c.Shafts.Count(x => x.Rating.Status == PatrolStatus.Overdue),
                ["due_soon"] = c.Shafts.Count(x => x.Rating.Status == PatrolStatus.DueSoon),
                // Never visited up to the period's end, whether already overdue or not (the rating shows overdue first).
                ["never_visited"] = c.Shafts.Count(x => x.LastVisitAt is null),
                ["devices"] = s.Devices,
                ["segments"] = s.Segments,
                ["km"] = Math.Round(s.Kilometres, 3),
                ["hours"] = Math.Round(s.Hours, 3),
                ["buffered_area_km2"] = s.BufferedAreaKm2 is { } area ? Math.Round(area, 6) : null, // only with area=exact
                ["cells"] = s.Cells,
                ["cells_km2"] = Math.Round(s.CellsKm2, 6),
                ["buffer_m"] = s.BufferMetres,
                ["cell_m"] = s.CellMetres,
                ["plane_epsg"] = s.PlaneEpsg,
            },
            ["shafts"] = new JsonArray([.. c.Shafts.Select(x => (JsonNode)Shaft(x))]),
            ["segments"] = new JsonArray([.. c.Segments.Select(x => (JsonNode)Segment(x))]),
        };
    }

    public static JsonObject FeatureCollection(PatrolCoverage c) => new()
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray([
            .. c.Segments.Select(g => (JsonNode)Feature(
                new JsonObject
                {
                    ["type"] = "LineString",
                    ["coordinates"] = new JsonArray([.. g.Fixes.Select(f => (JsonNode)new JsonArray(f.Longitude, f.Latitude))]),
                },
                Segment(g).Also("layer", "segment"))),
            .. c.Shafts.Select(x => (JsonNode)Feature(
                new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(x.Longitude, x.Latitude) },
                Shaft(x).Also("layer", "shaft"))),
        ]),
    };

    public static string Status(PatrolStatus status) => PatrolStatusCode.Of(status);

    private static JsonObject Shaft(ShaftCoverage x) => new()
    {
        ["code"] = x.Code,
        ["mine"] = x.Mine,
        ["town"] = x.Town,
        ["responsible"] = x.Responsible,
        ["status"] = Status(x.Rating.Status),
        ["last_visit"] = x.LastVisitAt is { } v ? ChinaTime.Iso(v) : null,
        ["next_due"] = x.Rating.DueAt is { } d ? ChinaTime.Iso(d) : null,
        ["interval_days"] = x.Interval.TotalDays,
        ["visits_in_period"] = x.VisitsInPeriod,
        ["visited_within_interval"] = x.VisitedWithinInterval,
    };

    private static JsonObject Segment(TrackSegment g) => new()
    {
        ["device"] = g.DeviceKey,
        ["person"] = g.Person,
        ["start"] = ChinaTime.Iso(g.StartUtc),
        ["end"] = ChinaTime.Iso(g.EndUtc),
        ["km"] = Math.Round(g.Metres / 1000, 3),
        ["hours"] = Math.Round(g.Duration.TotalHours, 3),
        ["fixes"] = g.FixCount,
    };

    private static JsonObject Feature(JsonObject geometry, JsonObject properties) =>
        new() { ["type"] = "Feature", ["geometry"] = geometry, ["properties"] = properties };

    private static JsonObject Also(this JsonObject o, string name, string value)
    {
        o[name] = value;
        return o;
    }
}
