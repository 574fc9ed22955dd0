using System.Globalization;
using System.Text.RegularExpressions;

namespace GeoMine.Geo.Licences;

/// <summary>
/// Reads the corner points (拐点坐标), elevation range (开采标高) and particulars of a mining licence text.
/// Two layouts are read, also mixed with free text:
/// <list type="bullet">
/// <item>numbered lines <c>1,4507088.2206,41473349.922</c> (number, X, Y), each ring ended by a line
/// <c>*,363,10,远东采区,1,</c> (upper m, lower m, block name, flag; flag −1 marks an excluded ring);</item>
/// <item>tables <c>J1 3301996.14 41405667.12</c> (点号 X Y, tab or space separated) with the elevation
/// in a sentence such as 开采标高自+77米至+3.94米; a ring ends where a point repeats the ring's first
/// point, at a non-point line, or at the end of the text.</item>
/// </list>
/// X is the northing (7 integer digits), Y the easting (8 digits with the zone prefix, or 6 without).
/// A declared Xi'an 1980 or Beijing 1954 system (any spelling, <see cref="GeoMine.Geo.Crs.GeodeticDatum.RecogniseLegacy"/>) is
/// recorded: the parser converts it only with a configured transformation and refuses it otherwise.
/// </summary>
public static partial class LicenceTextReader
{
    /// <summary>Reads <paramref name="text"/>; never throws for content problems (see <see cref="LicenceTextContent.Errors"/>).</summary>
    public static LicenceTextContent Read(string text)
    {
        var errors = new List<LicenceProblem>();
        var warnings = new List<LicenceProblem>();
        var rings = new List<CornerRing>();
        var current = new List<CornerPoint>();
        var numbered = false;
        var content = new LicenceTextContent();
        var lines = text.Replace("\r\n", "\n").Split('\n');

        void EndTableRing(int line, bool explicitlyClosed)
        {
            if (current.Count == 0)
            {
                return;
            }

            if (!explicitlyClosed)
            {
                warnings.Add(new LicenceProblem(line, $"ring starting at line {current[0].LineNumber} (point {current[0].Label}) is not closed: closed it back to its first point"));
            }

            rings.Add(new CornerRing([.. current], null, null, null, false, line));
            current.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            // Full-width digits, letters and punctuation (，：＊　) as plain ones: texts typed with a Chinese input method.
            var line = lines[i].Normalize(System.Text.NormalizationForm.FormKC).Trim().TrimStart('\uFEFF');
            if (GeoMine.Geo.Crs.GeodeticDatum.RecogniseLegacy(line) is { } old)
            {
                if (content.DeclaredLegacyDatum is { } earlier && earlier.Datum != old.Datum)
                {
                    errors.Add(new LicenceProblem(number, $"the text declares '{old.Words}' here and '{earlier.Words}' on line {earlier.Line}: two datums"));
                }

                content = content with { DeclaredLegacyDatum = content.DeclaredLegacyDatum ?? (old.Datum, old.Words, number) };
                continue;
            }

            content = ReadParticulars(content, line, number);
            if (line.StartsWith('*'))
            {
                var ring = ReadRingEnd(line, number, current, errors, warnings);
                if (ring is not null)
                {
                    rings.Add(ring);
                }

                current.Clear();
                continue;
            }

            var point = ReadPoint(line, number, errors);
            if (point is null)
            {
                // a table ring ends at the first line that is not a point; numbered rings wait for their '*' line
                if (current.Count > 0 && !numbered)
                {
                    EndTableRing(number - 1, false);
                }

                continue;
            }

            if (current.Count == 0)
            {
                numbered = line.Contains(',') || line.Contains('，');
            }

            if (current.Count >= 3 && point.NorthingMetres == current[0].NorthingMetres && point.EastingMetres == current[0].EastingMetres)
            {
                // the first point repeated closes the ring: a table ring ends here, a numbered one at its '*' line
                if (!numbered)
                {
                    EndTableRing(number, true);
                }

                continue;
            }

            current.Add(point);
        }

        EndTableRing(lines.Length, false);
        return content with { Rings = rings, Errors = errors, Warnings = warnings };
    }

    private static CornerPoint? ReadPoint(string line, int number, List<LicenceProblem> errors)
    {
        // Labelled coordinates (J1  X 3301996.14  Y 41405667.12, J1 X=… Y=…, J1 X坐标:… Y坐标:…) lose their labels.
        var fields = line.Split([',', '，', '\t', ' ', '\u3000', '=', ':', '：', ';', '；'], StringSplitOptions.RemoveEmptyEntries)
            .Where(f => !AxisLabel().IsMatch(f)).ToArray();
        if (fields.Length != 3 || !IsNumber(fields[1]) || !IsNumber(fields[2]) || fields[0].Any(c => c is '*'))
        {
            return null;
        }

        var x = double.Parse(fields[1], CultureInfo.InvariantCulture);
        var y = double.Parse(fields[2], CultureInfo.InvariantCulture);
        var xDigits = IntegerDigits(x);
        var yDigits = IntegerDigits(y);
        if (xDigits == 8 && yDigits is 7 or 6)
        {
            errors.Add(new LicenceProblem(number, $"point {fields[0]}: X {fields[1]} looks like an easting and Y {fields[2]} like a northing: X (northing) comes first in licences"));
            return null;
        }

        if (xDigits != 7)
        {
            errors.Add(new LicenceProblem(number, $"point {fields[0]}: X (northing) {fields[1]} should have 7 integer digits"));
            return null;
        }

        if (yDigits is not (8 or 6))
        {
            errors.Add(new LicenceProblem(number, $"point {fields[0]}: Y (easting) {fields[2]} should have 8 integer digits (with zone prefix) or 6 (without)"));
            return null;
        }

        return new CornerPoint(number, fields[0], x, y, yDigits == 8);
    }

    private static CornerRing? ReadRingEnd(string line, int number, List<CornerPoint> points, List<LicenceProblem> errors, List<LicenceProblem> warnings)
    {
        var fields = line.Split([',', '，'], StringSplitOptions.TrimEntries);
        if (fields.Length < 3 || !TryElevation(fields[1], out var upper) || !TryElevation(fields[2], out var lower))
        {
            errors.Add(new LicenceProblem(number, $"ring end line '{line}' should read '*,upper,lower,name,flag,' with elevations in metres"));
            return null;
        }

        if (points.Count == 0)
        {
            errors.Add(new LicenceProblem(number, "ring end line '*' without corner points before it"));
            return null;
        }

        var name = fields.Length > 3 && fields[3].Length > 0 ? fields[3] : null;
        var excluded = fields.Length > 4 && fields[4] == "-1";
        if (upper < lower)
        {
            warnings.Add(new LicenceProblem(number, string.Create(CultureInfo.InvariantCulture,
                $"{name ?? "ring"}: elevations written lower first ({upper}, {lower}): read by meaning, {lower} m upper to {upper} m lower")));
            (upper, lower) = (lower, upper);
        }

        return new CornerRing([.. points], name, upper, lower, excluded, number);
    }

    private static LicenceTextContent ReadParticulars(LicenceTextContent content, string line, int number)
    {
        if (content.Particulars.LicenceNo is null && LicenceNo().Match(line) is { Success: true } no)
        {
            content = content with { Particulars = content.Particulars with { LicenceNo = no.Groups[1].Value } };
        }

        if (content.Particulars.Holder is null && Field("采矿权人").Match(line) is { Success: true } holder)
        {
            content = content with { Particulars = content.Particulars with { Holder = holder.Groups[1].Value } };
        }

        if (content.Particulars.MineName is null && Field("矿山名称").Match(line) is { Success: true } mine)
        {
            content = content with { Particulars = content.Particulars with { MineName = mine.Groups[1].Value } };
        }

        if (content.Particulars.Mineral is null && Field("开采矿种").Match(line) is { Success: true } mineral)
        {
            content = content with { Particulars = content.Particulars with { Mineral = mineral.Groups[1].Value } };
        }

        if (content.Particulars.ValidFrom is null && ValidPeriod().Match(line) is { Success: true } period)
        {
            content = content with { Particulars = content.Particulars with { ValidFrom = Date(period, 1), ValidTo = Date(period, 4) } };
        }

        if (content.StatedElevation is null && ElevationSentence().Match(line) is { Success: true } elevation
            && TryElevation(elevation.Groups[1].Value, out var upper) && TryElevation(elevation.Groups[2].Value, out var lower))
        {
            content = content with { StatedElevation = (upper, lower, number) };
        }

        if (content.StatedArea is null && AreaSentence().Match(line) is { Success: true } area)
        {
            var value = double.Parse(area.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = area.Groups[2].Value;
            var km2 = unit switch
            {
                "平方米" or "m2" or "m²" => value / 1e6,
                "公顷" or "hm2" or "hm²" => value / 100,
                _ => value,
            };
            content = content with { StatedArea = (km2, number) };
        }

        if (Cgcs2000().IsMatch(line))
        {
            content = content with { DeclaresCgcs2000 = true };
        }

        return content;
    }

    private static DateOnly? Date(Match m, int group) =>
        DateOnly.TryParseExact($"{m.Groups[group].Value}-{m.Groups[group + 1].Value.PadLeft(2, '0')}-{m.Groups[group + 2].Value.PadLeft(2, '0')}",
            "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static bool IsNumber(string s) => NumberPattern().IsMatch(s);

    private static int IntegerDigits(double value) => value < 1 ? 0 : (int)Math.Floor(Math.Log10(value)) + 1;

    private static bool TryElevation(string s, out double metres) =>
        double.TryParse(s.Replace('−', '-').Replace("米", "").Replace("m", "").Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out metres);

    private static Regex Field(string label) => new($"{label}\\s*[:：]\\s*(\\S+)");

    [GeneratedRegex(@"^\d+(\.\d+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"2000\s*国家大地坐标系|CGCS\s*-?\s*2000|国家\s*2000|2000\s*坐标系", RegexOptions.IgnoreCase)]
    private static partial Regex Cgcs2000();

    [GeneratedRegex(@"^[XYxy](?:坐标)?$")]
    private static partial Regex AxisLabel();

    [GeneratedRegex(@"(?:采矿)?(?:许可)?证\s*(?:编\s*)?号\s*[:：]?\s*([A-Za-z]?\d[\dA-Za-z]{8,})")]
    private static partial Regex LicenceNo();

    [GeneratedRegex(@"有效期\D{0,6}?(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?\s*(?:至|到|-|—|~|～)\s*(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})")]
    private static partial Regex ValidPeriod();

    [GeneratedRegex(@"开采(?:标高|深度)\D{0,10}?([+\-−]?\d+(?:\.\d+)?)\s*(?:米|m)?\s*(?:至|到|~|～)\s*([+\-−]?\d+(?:\.\d+)?)\s*(?:米|m)?")]
    private static partial Regex ElevationSentence();

    [GeneratedRegex(@"面积\D{0,6}?(\d+(?:\.\d+)?)\s*(平方公里|平方千米|km2|km²|平方米|m2|m²|公顷|hm2|hm²)", RegexOptions.IgnoreCase)]
    private static partial Regex AreaSentence();
}
