namespace GeoMine.Patrol.Tailings;

/// <summary>The tailings watch's settings (configuration section <c>Tailings</c>). Distances in metres, dates in China time.</summary>
public sealed class TailingsOptions
{
    /// <summary>头顶库 reach: facilities within this distance along the downstream flow path from the starter-dam toe
    /// (the 2020 definition: 1 km).</summary>
    public double DownstreamReachM { get; set; } = 1000;

    /// <summary>Half-width of the lateral corridor of the flow path (m each side). A flood or tailings flow fills the
    /// valley floor, not only its thalweg: 200 m each side covers the valley bottoms of hill country and is deliberately
    /// generous (a false 头顶库 costs a visit, a missed one can cost lives).</summary>
    public double CorridorHalfWidthM { get; set; } = 200;

    /// <summary>Start of the flood season (汛期), month and day: pre-flood inspection and flood routing are due by then.</summary>
    public string FloodSeasonStart { get; set; } = "06-01";

    /// <summary>End of the flood season, month and day (inclusive): an unmet obligation stops being chased after it.</summary>
    public string FloodSeasonEnd { get; set; } = "09-30";

    /// <summary>How long before the flood season the due inspections are raised (blue; yellow for 头顶库).</summary>
    public TimeSpan FloodReminderLead { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An inspection counts for the year's flood season when done on or after this month-day of that year.</summary>
    public string InspectionYearStart { get; set; } = "01-01";

    /// <summary>Disused this long and not closed: a closure candidate (闭库销号, seed 002 (二十三): 3 years).</summary>
    public int ClosureAfterYears { get; set; } = 3;

    /// <summary>Disused at least this long, any sign of operation is an unapproved restart (seed 002 (二十三): 6 months).</summary>
    public int ReactivationAfterMonths { get; set; } = 6;

    /// <summary>Monitoring readings of a disused pond are compared over this window before "now".</summary>
    public TimeSpan ActivityWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A water-level rise over the window of at least this much (m) looks like operation (tailings and water discharged).</summary>
    public double WaterLevelRiseM { get; set; } = 0.3;

    /// <summary>A dry-beach shortening over the window of at least this much (m) looks like operation (fresh tailings on the beach).</summary>
    public double DryBeachShorteningM { get; set; } = 5;

    /// <summary>Tolerance of crest comparisons (m): survey noise below this is not a raise.</summary>
    public double CrestToleranceM { get; set; } = 0.5;

    /// <summary>Spot checks (抽查) of 无主库, 头顶库 and closure candidates: once in every period of this many months
    /// (3: once a quarter, periods start in January, April, July, October).</summary>
    public int SpotCheckPeriodMonths { get; set; } = 3;
}
