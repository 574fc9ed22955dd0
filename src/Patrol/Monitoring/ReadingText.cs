using System.Globalization;
using GeoMine.Geo;

namespace GeoMine.Patrol.Monitoring;

/// <summary>Reading fields from text (CSV cells, JSON strings); every error names the field.</summary>
public static class ReadingText
{
    /// <summary>A finite number in invariant culture.</summary>
    /// <exception cref="MonitoringInputException">Missing or not a number.</exception>
    public static double Number(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MonitoringInputException($"{field}: missing");
        }

        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new MonitoringInputException($"{field}: '{text}' is not a number");
    }

    /// <summary>An ISO-8601 time as UTC; a time without offset is China time (UTC+8).</summary>
    /// <exception cref="MonitoringInputException">Missing or not a time.</exception>
    public static DateTime Time(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MonitoringInputException($"{field}: missing");
        }

        text = text.Trim();
        return char.IsDigit(text[0]) && ChinaTime.TryParseIso(text, out var utc)
            ? utc
            : throw new MonitoringInputException($"{field}: '{text}' is not {ChinaTime.IsoForm}");
    }

    /// <summary>Trimmed text, or an error naming the field when missing.</summary>
    /// <exception cref="MonitoringInputException">Missing.</exception>
    public static string Required(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new MonitoringInputException($"{field}: missing") : text.Trim();
}
