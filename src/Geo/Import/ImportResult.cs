namespace GeoMine.Geo.Import;

/// <summary>What an import did.</summary>
public sealed record ImportResult(
    string Layer,
    string Source,
    string SourceCrs,
    string? Encoding,
    int Read,
    int Inserted,
    int Updated,
    IReadOnlyList<FeatureProblem> Rejected,
    IReadOnlyList<string> Warnings);
