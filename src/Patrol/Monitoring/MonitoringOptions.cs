namespace GeoMine.Patrol.Monitoring;

/// <summary>Online monitoring (configuration section <c>Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    /// <summary>A point with no reading measured for this long is silent: its pond gets a <c>monitoring_stale</c> alarm
    /// (the feed's "online rate" has dropped).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Silence allowed per item code where it differs (e.g. a manually read item).</summary>
    public Dictionary<string, TimeSpan> StaleAfterByItem { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Severity of <c>monitoring_stale</c> alarms.</summary>
    public string StaleSeverity { get; set; } = "yellow";

    /// <summary>A reading measured further than this in the future (sender's clock wrong) is refused: it would stay the
    /// point's newest reading and hide the real ones.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Readings per request or file, at most.</summary>
    public int MaxBatch { get; set; } = 10_000;

    /// <summary>The silence allowed for <paramref name="item"/>.</summary>
    public TimeSpan StaleAfterOf(string item) => StaleAfterByItem.TryGetValue(item, out var span) ? span : StaleAfter;
}
