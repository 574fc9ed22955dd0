namespace GeoMine.Patrol.Detection;

/// <summary>Where one device stands with every position rule; stored as JSON in <c>detection_state</c>.</summary>
public sealed class DeviceDetectionState
{
    /// <summary>Latest fix time processed (UTC); older fixes arriving late are not replayed through the rules.</summary>
    public DateTime? LastFix { get; set; }

    /// <summary>越界: the device's own licensed area.</summary>
    public EpisodeTracker OutOfBoundary { get; set; } = new();

    /// <summary>超层: the licensed elevation band.</summary>
    public EpisodeTracker OutOfElevation { get; set; } = new();

    /// <summary>Work inside the licensed area while the licence is expired or not yet valid (无证开采).</summary>
    public EpisodeTracker LicenceNotValid { get; set; } = new();

    /// <summary>Dwell at watched sites, keyed <c>closed_mine:ID</c> or <c>tailings_pond:ID</c>.</summary>
    public Dictionary<string, EpisodeTracker> Sites { get; set; } = [];
}
