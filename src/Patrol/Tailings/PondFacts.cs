namespace GeoMine.Patrol.Tailings;

/// <summary>What the watch rules know of one pond at one moment (read from PostGIS, evaluated by <see cref="TailingsRules"/>).</summary>
/// <param name="Id">tailings_pond id.</param>
/// <param name="Code">Pond code.</param>
/// <param name="Name">Pond name.</param>
/// <param name="Town">Town name, if known.</param>
/// <param name="Status">in_use, disused, closed, deregistered or no_operator.</param>
/// <param name="DisusedSince">停用 date, for disused ponds.</param>
/// <param name="DesignCrestM">Design final crest elevation (m).</param>
/// <param name="Surveys">Crest surveys on or before "now", oldest first.</param>
/// <param name="Approvals">Approvals on or before "now", oldest first.</param>
/// <param name="LastInspection">Latest inspection day per kind (pre_flood, flood_routing, spot_check) on or before "now".</param>
/// <param name="Head">The 头顶库 assessment.</param>
/// <param name="Activity">Signs of operation from monitoring over the activity window, if any.</param>
public sealed record PondFacts(
    long Id,
    string Code,
    string Name,
    string? Town,
    string Status,
    DateOnly? DisusedSince,
    double? DesignCrestM,
    IReadOnlyList<CrestSurvey> Surveys,
    IReadOnlyList<Approval> Approvals,
    IReadOnlyDictionary<string, DateOnly> LastInspection,
    HeadPondAssessment Head,
    IReadOnlyList<MonitoringActivity> Activity);

/// <summary>A crest elevation survey.</summary>
/// <param name="SurveyedOn">Survey day.</param>
/// <param name="CrestM">Crest elevation (m).</param>
/// <param name="Source">Surveyor or report.</param>
public sealed record CrestSurvey(DateOnly SurveyedOn, double CrestM, string? Source);

/// <summary>An approval record.</summary>
/// <param name="Kind">dam_raise, method_change, reactivation or closure.</param>
/// <param name="ApprovedOn">Approval day.</param>
/// <param name="CrestM">For dam_raise: approved crest elevation (m).</param>
/// <param name="Document">Approval document number.</param>
public sealed record Approval(string Kind, DateOnly ApprovedOn, double? CrestM, string Document);

/// <summary>A monitoring series that moved as in operation over the activity window.</summary>
/// <param name="Point">Monitoring point code.</param>
/// <param name="Item">water_level or dry_beach_length.</param>
/// <param name="From">Earliest reading in the window (value, UTC time).</param>
/// <param name="To">Latest reading in the window.</param>
public sealed record MonitoringActivity(string Point, string Item, (double Value, DateTime At) From, (double Value, DateTime At) To);
