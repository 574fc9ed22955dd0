using System.Globalization;
using GeoMine.Geo;

namespace GeoMine.Viewer.Hosting;

/// <summary>Query-string values as every API reads them: counts for paging, times in China time.</summary>
internal static class QueryValues
{
    /// <summary>A whole number ≥ 0 (digits only), or <paramref name="fallback"/> when absent. False when malformed.</summary>
    public static bool TryCount(string? text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrWhiteSpace(text) || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An ISO-8601 time (no offset = China time) as UTC, or null when absent. False when malformed.</summary>
    public static bool TryChinaTime(string? text, out DateTime? utc)
    {
        utc = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!ChinaTime.TryParseIso(text.Trim(), out var parsed))
        {
            return false;
        }

        utc = parsed;
        return true;
    }
}
