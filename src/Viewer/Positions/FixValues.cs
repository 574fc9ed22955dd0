using System.Globalization;

namespace GeoMine.Viewer.Positions;

/// <summary>Parsing helpers shared by the position feeds; every error names its field.</summary>
internal static class FixValues
{
    /// <summary>Knots (Traccar's query <c>speed</c>) to metres per second.</summary>
    public const double MetresPerSecondPerKnot = 1852.0 / 3600.0;

    public static double Number(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FixParseException($"{field}: missing");
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FixParseException($"{field}: '{text}' is not a number");
    }

    public static double? OptionalNumber(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Number(field, text);

    /// <summary>Epoch seconds, epoch milliseconds, or ISO-8601 (no offset = UTC), as UTC.</summary>
    public static DateTime Time(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FixParseException($"{field}: missing");
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            // Ten digits and fewer are seconds (until 2286), more are milliseconds.
            try
            {
                return text.TrimStart('-').Length <= 10
                    ? DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime
                    : DateTimeOffset.FromUnixTimeMilliseconds(epoch).UtcDateTime;
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new FixParseException($"{field}: '{text}' is outside the years 0001–9999");
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time.UtcDateTime
            : throw new FixParseException($"{field}: '{text}' is not a time (epoch seconds, epoch milliseconds or ISO-8601)");
    }
}
