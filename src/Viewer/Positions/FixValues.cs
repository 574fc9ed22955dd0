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

    /// <summary>The longest device id taken (Traccar's unique ids are far shorter; a btree key must stay small).</summary>
    public const int MaxDeviceIdLength = 64;

    /// <summary>A device id: 1 to 64 printable characters (no control characters, no NUL, which PostgreSQL cannot store).</summary>
    public static string DeviceId(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FixParseException($"{field}: missing");
        }

        if (text.Length > MaxDeviceIdLength)
        {
            throw new FixParseException($"{field}: {text.Length} characters, at most {MaxDeviceIdLength}");
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                throw new FixParseException($"{field}: contains a control character (U+{(int)c:X4}); device ids are printable text");
            }
        }

        return text;
    }

    /// <summary>A battery level in per cent: negative values are the apps' "unknown" (Traccar Client sends <c>batt=-1</c>).</summary>
    public static double? Battery(double? percent) => percent switch
    {
        -1 or -100 => null, // batt=-1, or battery.level -1 (×100)
        < 0 or > 100 => throw new FixParseException($"battery: {percent} is not a per cent (0–100, or -1 for unknown)"),
        _ => percent,
    };

    /// <summary>An accuracy radius in metres: not negative.</summary>
    public static double? Accuracy(string field, double? metres) => metres is null or >= 0
        ? metres
        : throw new FixParseException($"{field}: {metres} m is not an accuracy radius (metres, not negative)");

    /// <summary>A speed in metres per second: 0 to 1 000 (a sound-speed bound; anything faster is a unit or parsing error).</summary>
    public static double? Speed(string field, double? metresPerSecond) => metresPerSecond is null or (>= 0 and <= 1000)
        ? metresPerSecond
        : throw new FixParseException($"{field}: {metresPerSecond} m/s is not a speed (0 to 1 000 m/s)");

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
