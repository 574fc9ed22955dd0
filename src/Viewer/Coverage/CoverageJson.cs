using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GeoMine.Geo;
using GeoMine.Patrol.Coverage;
using GeoMine.Patrol.Obligations;

namespace GeoMine.Viewer.Coverage;

/// <summary>Patrol coverage as JSON, the same for <c>GET /api/patrol/coverage</c> and <c>geomine patrol coverage --format json</c>,
/// and as GeoJSON for the map (lon/lat, CRS84). Instants in China time (+08:00); km, hours, km², metres as named.</summary>
internal static class CoverageJson
{
    public static CoverageTables Tables(PatrolCoverage c)
    {
        var s = c.Summary;
        return new CoverageTables(
            ChinaTime.Iso(s.FromUtc), ChinaTime.Iso(s.ToUtc), new CoverageScopeView(c.Scope.Town, c.Scope.Person, c.Scope.Mine),
            new CoverageSummaryView(
                s.Shafts, s.VisitedWithinInterval, s.VisitedWithinIntervalPercent is { } pct ? Math.Round(pct, 1) : null,
                c.Shafts.Count(x => x.Rating.Status == PatrolStatus.Overdue), c.Shafts.Count(x => x.Rating.Status == PatrolStatus.DueSoon),
                // Never visited up to the period's end, whether already overdue or not (the rating shows overdue first).
                c.Shafts.Count(x => x.LastVisitAt is null),
                s.Devices, s.Segments, Math.Round(s.Kilometres, 3), Math.Round(s.Hours, 3),
                s.BufferedAreaKm2 is { } area ? Math.Round(area, 6) : null, // only with area=exact
                s.Cells, Math.Round(s.CellsKm2, 6), s.BufferMetres, s.CellMetres, s.PlaneEpsg),
            [.. c.Shafts.Select(ShaftView)], [.. c.Segments.Select(SegmentView)]);
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
                Properties(SegmentView(g), "segment"))),
            .. c.Shafts.Select(x => (JsonNode)Feature(
                new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(x.Longitude, x.Latitude) },
                Properties(ShaftView(x), "shaft"))),
        ]),
    };

    public static string Status(PatrolStatus status) => PatrolStatusCode.Of(status);

    private static CoverageShaftView ShaftView(ShaftCoverage x) => new(
        x.Code, x.Mine, x.Town, x.Responsible, Status(x.Rating.Status), x.LastVisitAt is { } v ? ChinaTime.Iso(v) : null,
        x.Rating.DueAt is { } d ? ChinaTime.Iso(d) : null, x.Interval.TotalDays, x.VisitsInPeriod, x.VisitedWithinInterval);

    private static CoverageSegmentView SegmentView(TrackSegment g) => new(
        g.DeviceKey, g.Person, ChinaTime.Iso(g.StartUtc), ChinaTime.Iso(g.EndUtc), Math.Round(g.Metres / 1000, 3),
        Math.Round(g.Duration.TotalHours, 3), g.FixCount);

    /// <summary>A table row as GeoJSON properties (the API's snake_case names) with the map layer it belongs to.</summary>
    private static JsonObject Properties<T>(T row, string layer)
    {
        var properties = JsonSerializer.SerializeToNode(row, Names)!.AsObject();
        properties["layer"] = layer;
        return properties;
    }

    private static readonly JsonSerializerOptions Names = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static JsonObject Feature(JsonObject geometry, JsonObject properties) =>
        new() { ["type"] = "Feature", ["geometry"] = geometry, ["properties"] = properties };
}

/// <summary>Patrol coverage of a period (<c>GET /api/patrol/coverage</c>, <c>geomine patrol coverage --format json</c>).</summary>
/// <param name="From">Start, ISO-8601 China time.</param>
/// <param name="To">End (exclusive).</param>
internal sealed record CoverageTables(
    string From, string To, CoverageScopeView Scope, CoverageSummaryView Summary, IReadOnlyList<CoverageShaftView> Shafts,
    IReadOnlyList<CoverageSegmentView> Segments);

/// <summary>What the coverage was asked about: a town (code or name), a person, a closed mine; null = all.</summary>
internal sealed record CoverageScopeView(string? Town, string? Person, string? Mine);

/// <summary>The period's totals.</summary>
/// <param name="Shafts">Sealed shafts in the scope.</param>
/// <param name="VisitedWithinInterval">Shafts whose every interval in the period had a visit.</param>
/// <param name="VisitedWithinIntervalPct">Their share, percent (one decimal); null without shafts.</param>
/// <param name="Overdue">Shafts overdue at the period's end.</param>
/// <param name="DueSoon">Shafts due soon at the period's end.</param>
/// <param name="NeverVisited">Shafts never visited up to the period's end (overdue or not).</param>
/// <param name="Devices">Patrol devices with track segments.</param>
/// <param name="Segments">Track segments.</param>
/// <param name="Km">Track length, km (geodesic).</param>
/// <param name="Hours">Time on patrol, hours.</param>
/// <param name="BufferedAreaKm2">Exact area of the buffered tracks, km² (only with area=exact).</param>
/// <param name="Cells">Grid cells the buffered tracks touch.</param>
/// <param name="CellsKm2">Their area, km².</param>
/// <param name="BufferM">Buffer radius, metres.</param>
/// <param name="CellM">Cell side, metres.</param>
/// <param name="PlaneEpsg">The CGCS2000 Gauss-Krüger zone the cells are in (EPSG code).</param>
internal sealed record CoverageSummaryView(
    int Shafts, int VisitedWithinInterval, double? VisitedWithinIntervalPct, int Overdue, int DueSoon, int NeverVisited, int Devices,
    int Segments, double Km, double Hours, [property: JsonPropertyName("buffered_area_km2")] double? BufferedAreaKm2, int Cells,
    [property: JsonPropertyName("cells_km2")] double CellsKm2, double BufferM, double CellM, int? PlaneEpsg);

/// <summary>A shaft's patrol in the period.</summary>
/// <param name="Status">Patrol status code at the period's end (ok, due_soon, overdue, never_visited…).</param>
/// <param name="LastVisit">Last visit up to the period's end, China time; null if never.</param>
/// <param name="NextDue">When the next visit is due, China time.</param>
/// <param name="IntervalDays">The shaft's patrol interval, days.</param>
internal sealed record CoverageShaftView(
    string Code, string Mine, string? Town, string? Responsible, string Status, string? LastVisit, string? NextDue, double IntervalDays,
    int VisitsInPeriod, bool VisitedWithinInterval);

/// <summary>A track segment (fixes no further apart than the maximum gap).</summary>
/// <param name="Start">First fix, China time.</param>
/// <param name="End">Last fix, China time.</param>
/// <param name="Km">Length, km (geodesic).</param>
/// <param name="Hours">Duration, hours.</param>
internal sealed record CoverageSegmentView(string Device, string? Person, string Start, string End, double Km, double Hours, int Fixes);
