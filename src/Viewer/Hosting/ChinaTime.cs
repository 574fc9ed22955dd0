namespace GeoMine.Viewer.Hosting;

/// <summary>Times are stored in UTC and shown in China Standard Time (UTC+8, no daylight saving).</summary>
internal static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static string Format(DateTimeOffset utc) =>
        utc.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss '(UTC+8)'", System.Globalization.CultureInfo.InvariantCulture);
}
