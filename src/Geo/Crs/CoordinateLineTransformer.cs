using System.Globalization;

namespace GeoMine.Geo.Crs;

/// <summary>
/// Transforms text lines <c>x y [z]</c> (space or tab separated; x = longitude or easting, y = latitude
/// or northing, whatever the EPSG axis order; z in metres, copied unchanged) from one system to another,
/// as <c>geomine crs transform</c> does. Output: geographic coordinates with 9 decimals (≈ 0.1 mm),
/// projected with 4 decimals (0.1 mm). Blank lines and lines starting with <c>#</c> are copied.
/// Values are checked: latitude within ±90°, longitude within ±180°, Gauss-Kruger eastings within the
/// zone (prefix included when the system has one).
/// </summary>
public sealed class CoordinateLineTransformer(SpatialReference from, SpatialReference to, DatumTransformation? shift = null)
{
    private readonly CoordinateConverter _converter = new(from, to, shift);

    /// <summary>Transforms every line of <paramref name="input"/>. Valid lines are returned in order
    /// (invalid ones left out) along with the problems found.</summary>
    public (IReadOnlyList<string> Lines, IReadOnlyList<CoordinateLineProblem> Problems) Transform(TextReader input)
    {
        var lines = new List<string>();
        var problems = new List<CoordinateLineProblem>();
        var number = 0;
        while (input.ReadLine() is { } line)
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                lines.Add(line);
                continue;
            }

            var (output, error) = TransformLine(trimmed);
            if (error is not null)
            {
                problems.Add(new CoordinateLineProblem(number, error));
            }
            else
            {
                lines.Add(output!);
            }
        }

        return (lines, problems);
    }

    /// <summary>Transforms one trimmed, non-empty line; returns the output line or an error message.</summary>
    public (string? Output, string? Error) TransformLine(string line)
    {
        var fields = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 2 or > 3)
        {
            return (null, $"expected 'x y [z]', found {fields.Length} field(s): '{line}'");
        }

        if (!TryNumber(fields[0], out var x) || !TryNumber(fields[1], out var y) || (fields.Length == 3 && !TryNumber(fields[2], out _)))
        {
            return (null, $"not a number in '{line}'");
        }

        var rangeError = CheckRange(from, x, y);
        if (rangeError is not null)
        {
            return (null, rangeError);
        }

        var (tx, ty) = _converter.Convert(x, y);
        var format = to.IsGeographic ? "F9" : "F4";
        var text = tx.ToString(format, CultureInfo.InvariantCulture) + " " + ty.ToString(format, CultureInfo.InvariantCulture);
        return (fields.Length == 3 ? text + " " + fields[2] : text, null);
    }

    private static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string? CheckRange(SpatialReference srs, double x, double y)
    {
        if (srs.IsGeographic)
        {
            return Math.Abs(y) > 90 ? $"latitude {y.ToString(CultureInfo.InvariantCulture)} outside ±90° (x is longitude, y latitude)"
                : Math.Abs(x) > 180 ? $"longitude {x.ToString(CultureInfo.InvariantCulture)} outside ±180°"
                : null;
        }

        var zone = srs.Zone!.Value;
        var falseEasting = srs.Prefixed ? zone.PrefixedFalseEastingMetres : GaussKrugerZone.FalseEastingMetres;
        // Half a 6-degree zone at the equator is ~334 km; 1 000 km either side catches a missing or wrong prefix and swapped axes.
        if (Math.Abs(x - falseEasting) > 1_000_000)
        {
            return FormattableString.Invariant(
                $"easting {x} is not in {srs} (expected about {falseEasting} ± 350 000 m; x is easting, y northing — swapped, or wrong zone prefix?)");
        }

        return Math.Abs(y) > 10_000_000 ? FormattableString.Invariant($"northing {y} outside ±10 000 km") : null;
    }
}
