namespace GeoMine.Patrol.Records;

/// <summary>What a patrol record must satisfy to be taken and to count (configuration section <c>Patrol:Records</c>).</summary>
public sealed class PatrolRecordOptions
{
    /// <summary>A record's time may lie at most this far in the past when it arrives (a phone that was offline for a day).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>…and at most this far in the future (clock drift of the phone).</summary>
    public TimeSpan MaxAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A record typed by a signed-in user counts as a visit only when a fix of the named person's phone lies within
    /// the visit radius of the shaft no further than this from the record's time, either side.</summary>
    public TimeSpan CorroborationWindow { get; set; } = TimeSpan.FromMinutes(15);
}
