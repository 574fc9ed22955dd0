using System.Globalization;

namespace GeoMine.Geo.Import;

/// <summary>Converts source attribute text into typed values, with messages naming the field.</summary>
internal static class FieldValues
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyyMMdd", "yyyy.MM.dd", "yyyy.M.d",
        "yyyy年M月d日", "yyyy-MM-ddTHH:mm:ss", "yyyy/MM/dd HH:mm:ss",
    ];

    /// <summary>Converts <paramref name="raw"/>; null result = empty value; error text when unusable.</summary>
    public static (object? Value, string? Error) Convert(FieldSpec spec, string sourceField, string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }

        switch (spec.Kind)
        {
            case FieldKind.Date:
                return DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (date, null)
                    : (null, $"field {spec.Name} (source {sourceField}): '{text}' is not a date (use yyyy-mm-dd)");
            case FieldKind.Number:
                var number = text.TrimStart('+').TrimEnd('米', 'm', 'M').Trim();
                return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? (d, null)
                    : (null, $"field {spec.Name} (source {sourceField}): '{text}' is not a number");
            case FieldKind.Integer:
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l is >= int.MinValue and <= int.MaxValue
                    ? ((int)l, null)
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f == Math.Floor(f) && Math.Abs(f) < int.MaxValue
                        ? ((int)f, null)
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
}
