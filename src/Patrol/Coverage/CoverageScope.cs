namespace GeoMine.Patrol.Coverage;

/// <summary>What a coverage figure is about; every part optional, given parts all apply.</summary>
/// <param name="Town">Town (镇街) by name or code: its mines' shafts, and the patrol phones of people who answer
/// for the town or for those mines and shafts during the period.</param>
/// <param name="Person">Person by name: the shafts and mines they answer for (any role) during the period, and
/// their own patrol phones (device owner).</param>
/// <param name="Mine">Closed mine by code: its shafts, and the patrol phones of people who answer for it or them.</param>
public sealed record CoverageScope(string? Town = null, string? Person = null, string? Mine = null)
{
    /// <summary>The whole county: every shaft and every patrol phone.</summary>
    public static CoverageScope All { get; } = new();

    /// <summary>True when no part is given.</summary>
    public bool IsAll => Town is null && Person is null && Mine is null;
}
