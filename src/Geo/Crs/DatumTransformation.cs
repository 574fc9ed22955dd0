using System.Globalization;

namespace GeoMine.Geo.Crs;

/// <summary>
/// A transformation from an old datum (Xi'an 1980, Beijing 1954) to CGCS2000 that the operator configures from the
/// parameters their province or county publishes (configuration <c>Crs:Transformations</c>, a list), and names on import
/// with <c>--datum-transform NAME</c>. Seven Helmert parameters in PROJ's <c>+towgs84</c> convention: translations in metres,
/// rotations in arc-seconds, scale in ppm, position-vector rotations (EPSG method 9606); three parameters for a translation
/// only. CGCS2000 is taken equal to WGS84 (as everywhere in GeoMine), so the result is CGCS2000.
/// </summary>
public sealed class DatumTransformation
{
    /// <summary>Name the operator gives on import, e.g. <c>湖北西安80转2000-2019</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Source datum: <c>xian1980</c> or <c>beijing1954</c>.</summary>
    public string Datum { get; set; } = "";

    /// <summary>dx,dy,dz[,rx,ry,rz,ds]: metres, arc-seconds, ppm (PROJ <c>+towgs84</c>, position vector).</summary>
    public string Towgs84 { get; set; } = "";

    /// <summary>Where the parameters hold and who published them (free text, recorded with every import).</summary>
    public string? Area { get; set; }

    /// <summary>The source datum; <see cref="FormatException"/> naming the transformation when unknown.</summary>
    public GeodeticDatum SourceDatum =>
        GeodeticDatum.FromCode(Datum) is { IsLegacy: true } d ? d
            : throw new FormatException($"Crs:Transformations '{Name}': Datum '{Datum}' is not xian1980 or beijing1954");

    /// <summary>The 3 or 7 parameters; <see cref="FormatException"/> naming the transformation when malformed.</summary>
    public double[] Parameters
    {
        get
        {
            var parts = Towgs84.Split(',', StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                {
                    throw new FormatException($"Crs:Transformations '{Name}': Towgs84 value {i + 1} '{parts[i]}' is not a number");
                }
            }

            return values.Length is 3 or 7 ? values
                : throw new FormatException($"Crs:Transformations '{Name}': Towgs84 has {values.Length} values, 3 or 7 expected (dx,dy,dz[,rx,ry,rz,ds])");
        }
    }

    /// <summary>The seven parameters (rotations and scale 0 for a translation).</summary>
    public double[] SevenParameters => Parameters is { Length: 3 } p ? [p[0], p[1], p[2], 0, 0, 0, 0] : Parameters;

    /// <summary>PROJ's <c>+towgs84=…</c> term.</summary>
    public string ProjTerm => "+towgs84=" + string.Join(",", SevenParameters.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>How imports record it: name, datum, parameters, area.</summary>
    public string Describe() => $"{SourceDatum.Name} → CGCS2000 by '{Name}' ({ProjTerm}{(Area is null ? "" : $"; {Area}")})";

    /// <summary>The transformation named <paramref name="name"/> among <paramref name="configured"/>, checked against the data's
    /// datum; <see cref="FormatException"/> with what to do otherwise.</summary>
    public static DatumTransformation Choose(IReadOnlyList<DatumTransformation> configured, string? name, GeodeticDatum dataDatum, string what)
    {
        var fitting = configured.Where(t => GeodeticDatum.FromCode(t.Datum) == dataDatum).Select(t => t.Name).ToList();
        var choices = fitting.Count == 0
            ? $"none is configured for {dataDatum.Name}: add the province's published parameters under Crs:Transformations (Name, Datum {dataDatum.Code}, Towgs84 dx,dy,dz,rx,ry,rz,ds)"
            : $"configured for {dataDatum.Name}: {string.Join(", ", fitting)}";
        if (name is null)
        {
            throw new FormatException(
                $"{what} is in {dataDatum} — not CGCS2000. GeoMine never takes it as CGCS2000 nor moves it by a guessed shift (tens of metres): " +
                $"name the transformation to use with --datum-transform NAME ({choices}), or convert the data to CGCS2000 first");
        }

        var chosen = configured.FirstOrDefault(t => t.Name == name)
            ?? throw new FormatException($"--datum-transform '{name}': no such transformation ({choices})");
        if (chosen.SourceDatum != dataDatum)
        {
            throw new FormatException($"--datum-transform '{name}' converts {chosen.SourceDatum.Name}, but {what} is in {dataDatum.Name} ({choices})");
        }

        _ = chosen.Parameters; // validated now, with its name
        return chosen;
    }
}

/// <summary>Configuration section <c>Crs</c>.</summary>
public sealed class CrsOptions
{
    /// <summary>Old-datum → CGCS2000 transformations the operator may name on import.</summary>
    public List<DatumTransformation> Transformations { get; set; } = [];
}
