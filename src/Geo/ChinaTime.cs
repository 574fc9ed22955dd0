using System.Globalization;

namespace GeoMine.Geo;

/// <summary>
/// Times are stored in UTC and shown in China Standard Time (UTC+8, no daylight saving); days officials speak of
/// (due dates, flood seasons, patrol days) are China days. The one place that knows the offset.
/// </summary>
public static class ChinaTime
{
    /// <summary>UTC+8.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The China calendar day of a UTC instant.</summary>
    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc + Offset);

    /// <summary>China midnight starting <paramref name="day"/>, as UTC.</summary>
    public static DateTime StartOf(DateOnly day) => DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);

    /// <summary>The earliest year a person may type (a mine closed in the 1950s is history GeoMine keeps).</summary>
    public const int FirstYear = 1900;

    /// <summary>The last year a person may type: a deadline or a licence expiry, never year 9999.</summary>
    public const int LastYear = 2199;

    /// <summary>What <see cref="TryParseIso"/> takes, for messages.</summary>
    public const string IsoForm = "an ISO-8601 time from 1900 to 2199 (no offset = China time)";

    /// <summary>What <see cref="TryParseDay"/> takes, for messages.</summary>
    public const string DayForm = "a day yyyy-MM-dd from 1900 to 2199 (China date)";

    /// <summary>Parses ISO-8601 as UTC; a time written without offset or <c>Z</c> is China time. False for text that is not
    /// a time and for a time outside the years <see cref="FirstYear"/>–<see cref="LastYear"/> (China time).</summary>
    public static bool TryParseIso(string text, out DateTime utc) =>
        TryParseAnyIso(text, out utc) && utc >= StartOf(new DateOnly(FirstYear, 1, 1)) && utc < StartOf(new DateOnly(LastYear + 1, 1, 1));

    /// <summary>Parses a China calendar day <c>yyyy-MM-dd</c> within the years <see cref="FirstYear"/>–<see cref="LastYear"/>.</summary>
    public static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year is >= FirstYear and <= LastYear;

    private static bool TryParseAnyIso(string text, out DateTime utc)
    {
        utc = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        // Kind tells whether the text had an offset (Local), Z (Utc) or none (Unspecified); the exact instant of
        // an offset time comes from DateTimeOffset, not from a round trip through this machine's time zone.
        try
        {
            utc = parsed.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(parsed, Offset).UtcDateTime
                : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // 0001-01-01T00:00 China time is before the first representable UTC instant (likewise 9999 at the other end)
        }
    }

    /// <summary>For people: <c>2026-11-20 09:30:00 (UTC+8)</c>.</summary>
    public static string Format(DateTimeOffset utc) =>
        utc.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss '(UTC+8)'", CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 in China time, e.g. <c>2026-11-20T09:30:00+08:00</c>, for JSON.</summary>
    public static string Iso(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
