namespace GeoMine.Patrol.Monitoring;

/// <summary>Codes of <see cref="WarningLevel"/> as stored (<c>normal, blue, yellow, orange, red</c>, also the alarm
/// severities) and their Chinese names.</summary>
public static class WarningLevels
{
    /// <summary>The stored code: <c>normal</c>, <c>blue</c>, <c>yellow</c>, <c>orange</c> or <c>red</c>.</summary>
    public static string Code(this WarningLevel level) => level switch
    {
        WarningLevel.Blue => "blue",
        WarningLevel.Yellow => "yellow",
        WarningLevel.Orange => "orange",
        WarningLevel.Red => "red",
        _ => "normal",
    };

    /// <summary>蓝色, 黄色, 橙色, 红色 (正常 for normal).</summary>
    public static string Chinese(this WarningLevel level) => level switch
    {
        WarningLevel.Blue => "蓝色",
        WarningLevel.Yellow => "黄色",
        WarningLevel.Orange => "橙色",
        WarningLevel.Red => "红色",
        _ => "正常",
    };

    /// <summary>The level of a stored code; unknown codes throw.</summary>
    public static WarningLevel Parse(string code) => code switch
    {
        "normal" => WarningLevel.Normal,
        "blue" => WarningLevel.Blue,
        "yellow" => WarningLevel.Yellow,
        "orange" => WarningLevel.Orange,
        "red" => WarningLevel.Red,
        _ => throw new ArgumentException($"'{code}' is not a warning level (normal, blue, yellow, orange, red)"),
    };
}
