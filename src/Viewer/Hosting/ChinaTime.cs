namespace GeoMine.Viewer.Hosting;

/// <summary>Times are stored in UTC and shown in China Standard Time (UTC+8, no daylight saving).</summary>
internal static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static string Format(DateTimeOffset utc) =>
        utc.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss '(UTC+8)'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 in China time, e.g. <c>2026-11-20T09:30:00+08:00</c>, for JSON.</summary>
    public static string Iso(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}
