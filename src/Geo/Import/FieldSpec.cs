namespace GeoMine.Geo.Import;

/// <summary>
/// One target attribute of a layer: its canonical name (also the exported field name, at most 10
/// characters so that shapefiles keep it), how values are converted, and the source field names
/// tried in order when no <c>--map</c> is given (names used by Chinese GIS data first).
/// </summary>
public sealed record FieldSpec(string Name, FieldKind Kind, bool Required, IReadOnlyList<string> Aliases)
{
    /// <summary>For <see cref="FieldKind.Code"/>: accepted source terms (any case) → stored code.</summary>
    public IReadOnlyDictionary<string, string> Codes { get; init; } = new Dictionary<string, string>();

    /// <summary>For <see cref="FieldKind.Code"/>: each stored code with its Chinese and English names, in catalog order.</summary>
    public IReadOnlyList<CodeLabel> CodeLabels { get; init; } = [];

    /// <summary>For <see cref="FieldKind.Number"/> and <see cref="FieldKind.Integer"/>: the smallest and largest believable
    /// value, in the field's unit (a value outside is refused with the range, never stored). Dates have one range for all
    /// fields (<see cref="FieldValues.EarliestDate"/> to <see cref="FieldValues.LatestDate"/>).</summary>
    public (double Min, double Max)? Range { get; init; }

    /// <summary>Source field names to try: the canonical name, then the aliases.</summary>
    public IEnumerable<string> Candidates => [Name, .. Aliases];
}
