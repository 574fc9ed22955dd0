namespace GeoMine.Patrol.Monitoring;

/// <summary>Which side of its thresholds a value is dangerous on.</summary>
public enum ThresholdDirection
{
    /// <summary>A level is reached when the value is at or above its threshold (water level, displacement,
    /// rainfall, seepage, pore pressure). Stored as <c>above</c>.</summary>
    Above,

    /// <summary>A level is reached when the value is at or below its threshold: the phreatic line too shallow,
    /// the dry beach too short. Stored as <c>below</c>.</summary>
    Below,
}
