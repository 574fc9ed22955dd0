using System.Globalization;

namespace GeoMine.Viewer.Ogc;

/// <summary>
/// The <c>datetime</c> parameter of OGC API - Features (Part 1, 7.15.4): an RFC 3339 date-time or date, or an interval
/// <c>start/end</c> where either end may be <c>..</c> or empty; a date without time is a whole China day. Collections with
/// time (alarms, visits) select on it; the reference layers have none, so a valid value selects every feature (the
/// standard's rule for collections without a temporal property). A malformed one is 400.
/// </summary>
internal static class OgcDateTime
{
    /// <summary>Whether <paramref name="text"/> is absent or valid; otherwise <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string? text, out string? problem) => TryParse(text, out _, out _, out problem);

    /// <summary>As <see cref="TryParse(string?, out string?)"/>, with the bounds in UTC (null = open).</summary>
    public static bool TryParse(string? text, out DateTime? fromUtc, out DateTime? toUtc, out string? problem)
    {
        (fromUtc, toUtc, problem) = (null, null, null);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parts = text.Split('/');
        if (parts.Length > 2 || (parts.Length == 2 && IsOpen(parts[0]) && IsOpen(parts[1])))
        {
            problem = $"'{text}' is not an RFC 3339 date-time, date, or interval start/end (.. for an open end)";
            return false;
        }

        DateTimeOffset? start = null;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (parts.Length == 2 && IsOpen(part))
            {
                continue;
            }

            if (!TryInstant(part, out var instant))
            {
                problem = $"'{part}' is not an RFC 3339 date-time (2026-11-01T08:00:00+08:00, …Z) or date (2026-11-01)";
                return false;
            }

            if (start is { } s && instant < s)
            {
                problem = $"the interval '{text}' ends before it starts";
                return false;
            }

            start = instant;
            var isDay = part.Length == 10;
            var dayStart = isDay ? GeoMine.Geo.ChinaTime.StartOf(DateOnly.ParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture)) : instant.UtcDateTime;
            var dayEnd = isDay ? dayStart.AddDays(1).AddTicks(-10) : instant.UtcDateTime; // microseconds: PostgreSQL's resolution
            if (parts.Length == 1 || i == 0)
            {
                fromUtc = dayStart;
            }

            if (parts.Length == 1 || i == 1)
            {
                toUtc = dayEnd;
            }
        }

        return true;
    }

    private static bool IsOpen(string part) => part is "" or "..";

    private static bool TryInstant(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"],
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant)
        && (text.Length == 10 || text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10);
}
