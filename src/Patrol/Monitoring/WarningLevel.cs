namespace GeoMine.Patrol.Monitoring;

/// <summary>Warning levels of GB 39496-2020 5.5.4, lowest to highest (蓝色, 黄色, 橙色, 红色预警), below them normal.
/// The order of the values is the order of severity.</summary>
public enum WarningLevel
{
    /// <summary>No threshold reached.</summary>
    Normal,

    /// <summary>蓝色预警.</summary>
    Blue,

    /// <summary>黄色预警.</summary>
    Yellow,

    /// <summary>橙色预警.</summary>
    Orange,

    /// <summary>红色预警.</summary>
    Red,
}
