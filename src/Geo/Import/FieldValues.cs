using System.Globalization;

namespace GeoMine.Geo.Import;

/// <summary>Converts source attribute text into typed values, with messages naming the field; refuses values outside
/// a believable range (a date of year 1 or 9999, an elevation of 10³⁰⁸ m) rather than store them.</summary>
public static class FieldValues
{
    /// <summary>The earliest believable date of any date field (closures, sealing, licences, surveys).</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    /// <summary>The latest believable date (a licence's end may lie decades ahead).</summary>
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyyMMdd", "yyyy.MM.dd", "yyyy.M.d",
        "yyyy年M月d日", "yyyy-MM-ddTHH:mm:ss", "yyyy/MM/dd HH:mm:ss",
    ];

    /// <summary>Converts <paramref name="raw"/>; null result = empty value; error text when unusable.</summary>
    internal static (object? Value, string? Error) Convert(FieldSpec spec, string sourceField, string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }

        switch (spec.Kind)
        {
            case FieldKind.Date:
                if (!DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return (null, $"field {spec.Name} (source {sourceField}): '{text}' is not a date (use yyyy-mm-dd)");
                }

                return date >= EarliestDate && date <= LatestDate
                    ? (date, null)
                    : (null, $"field {spec.Name} (source {sourceField}): '{text}' is not a believable date (from {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd})");
            case FieldKind.Number:
                var number = text.TrimStart('+').TrimEnd('米', 'm', 'M').Trim();
                return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? InRange(spec, sourceField, text, d, d)
                    : (null, $"field {spec.Name} (source {sourceField}): '{text}' is not a number");
            case FieldKind.Integer:
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l is >= int.MinValue and <= int.MaxValue
                    ? InRange(spec, sourceField, text, l, (int)l)
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f == Math.Floor(f) && Math.Abs(f) < int.MaxValue
                        ? InRange(spec, sourceField, text, f, (int)f)
                        : (null, $"field {spec.Name} (source {sourceField}): '{text}' is not a whole number");
            case FieldKind.Code:
                if (spec.Codes.TryGetValue(text, out var code))
                {
                    return (code, null);
                }

                var accepted = string.Join(", ", spec.Codes.Keys.Order(StringComparer.Ordinal));
                return (null, $"field {spec.Name} (source {sourceField}): '{text}' is not one of {accepted}");
            default:
                return (text, null);
        }
    }

    private static (object? Value, string? Error) InRange(FieldSpec spec, string sourceField, string text, double number, object value) =>
        spec.Range is not { } range || (number >= range.Min && number <= range.Max)
            ? (value, null)
            : (null, string.Create(CultureInfo.InvariantCulture,
                $"field {spec.Name} (source {sourceField}): {text} is outside the believable range {range.Min:0.###} to {range.Max:0.###}"));
}
