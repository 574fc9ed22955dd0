namespace GeoMine.Patrol.Alarms;

/// <summary>How long a raised alarm may wait for acknowledgement (接报) before it goes one step up the jurisdiction
/// (configuration section <c>Alarms:AckEscalation</c>). Each further timeout goes one step further up.</summary>
public sealed class AckEscalationOptions
{
    /// <summary>Time to acknowledge, by severity. Defaults: red 15 min, orange 1 h, yellow 4 h, blue 24 h.</summary>
    public Dictionary<string, TimeSpan> AckWithin { get; set; } = new(StringComparer.Ordinal)
    {
        ["red"] = TimeSpan.FromMinutes(15),
        ["orange"] = TimeSpan.FromHours(1),
        ["yellow"] = TimeSpan.FromHours(4),
        ["blue"] = TimeSpan.FromHours(24),
    };

    /// <summary>The role looked for at each jurisdiction up the tree (town, then county, …).</summary>
    public string Role { get; set; } = "lead_leader";
}
