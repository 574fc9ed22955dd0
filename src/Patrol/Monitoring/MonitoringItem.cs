namespace GeoMine.Patrol.Monitoring;

/// <summary>
/// A monitoring item of GB 39496-2020 5.5.2 with its canonical unit (the unit stored and the unit of its
/// thresholds), the direction its warnings default to, and the few units a sender may use instead, each
/// with its factor to the canonical unit. Any other unit is refused, never guessed.
/// </summary>
/// <param name="Code">Stored code, e.g. <c>phreatic_depth</c>.</param>
/// <param name="Name">Chinese name, e.g. 浸润线埋深.</param>
/// <param name="CanonicalUnit">e.g. <c>m</c>, <c>mm</c>, <c>L/s</c>, <c>kPa</c>.</param>
/// <param name="Direction">Default direction of its thresholds.</param>
/// <param name="Units">Accepted units (case-sensitive) and the factor that converts a value in them to the canonical unit.</param>
public sealed record MonitoringItem(
    string Code, string Name, string CanonicalUnit, ThresholdDirection Direction, IReadOnlyDictionary<string, double> Units)
{
    // 1 m³/h = 1000 L / 3600 s.
    private const double LitresPerSecondPerCubicMetrePerHour = 1000.0 / 3600.0;

    private static readonly Dictionary<string, double> Metres = new(StringComparer.Ordinal) { ["m"] = 1, ["cm"] = 0.01, ["mm"] = 0.001 };
    private static readonly Dictionary<string, double> Millimetres = new(StringComparer.Ordinal) { ["mm"] = 1, ["cm"] = 10, ["m"] = 1000 };

    /// <summary>Every item, in the order of the standard's list.</summary>
    public static IReadOnlyList<MonitoringItem> All { get; } =
    [
        new("water_level", "库水位", "m", ThresholdDirection.Above, Metres), // elevation, 1985 national height datum
        new("dry_beach_length", "干滩长度", "m", ThresholdDirection.Below, Metres),
        new("phreatic_depth", "浸润线埋深", "m", ThresholdDirection.Below, Metres),
        new("surface_displacement", "坝体表面位移", "mm", ThresholdDirection.Above, Millimetres),
        new("internal_displacement", "坝体内部位移", "mm", ThresholdDirection.Above, Millimetres),
        new("rainfall", "降水量", "mm", ThresholdDirection.Above, new Dictionary<string, double>(StringComparer.Ordinal) { ["mm"] = 1 }),
        new("seepage", "渗流量", "L/s", ThresholdDirection.Above, new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["L/s"] = 1, ["l/s"] = 1, ["m³/h"] = LitresPerSecondPerCubicMetrePerHour, ["m3/h"] = LitresPerSecondPerCubicMetrePerHour,
        }),
        new("pore_pressure", "孔隙水压力", "kPa", ThresholdDirection.Above, new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["kPa"] = 1, ["MPa"] = 1000,
        }),
    ];

    /// <summary>The codes of every item.</summary>
    public static IReadOnlyList<string> Codes { get; } = All.Select(i => i.Code).ToArray();

    /// <summary>The item with code <paramref name="code"/>, or null.</summary>
    public static MonitoringItem? Find(string? code) => All.FirstOrDefault(i => i.Code == code);

    /// <summary>The item with code <paramref name="code"/>; unknown codes throw with the list of known ones.</summary>
    public static MonitoringItem Get(string code) =>
        Find(code) ?? throw new ArgumentException($"'{code}' is not a monitoring item ({string.Join(", ", Codes)})");

    /// <summary>Converts <paramref name="value"/> in <paramref name="unit"/> to the canonical unit; false for a unit not accepted.</summary>
    public bool TryToCanonical(double value, string unit, out double canonical)
    {
        if (!Units.TryGetValue(unit, out var factor))
        {
            canonical = 0;
            return false;
        }

        canonical = value * factor;
        return true;
    }

    /// <summary>The accepted units, for messages.</summary>
    public string UnitList => string.Join(", ", Units.Keys);
}
