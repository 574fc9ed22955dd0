namespace GeoMine.Geo.Import;

/// <summary>How an import treats its source.</summary>
/// <param name="FieldMap">Explicit mappings target field → source field (<c>--map name=KSMC</c>).</param>
/// <param name="SkipInvalid">Import the valid features and list the rejected ones, instead of all-or-nothing.</param>
public sealed record ImportOptions(IReadOnlyDictionary<string, string> FieldMap, bool SkipInvalid = false)
{
    /// <summary>No explicit mapping, all-or-nothing.</summary>
    public static ImportOptions Default { get; } = new(new Dictionary<string, string>());
}
