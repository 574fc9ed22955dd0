namespace GeoMine.Geo.Import;

/// <summary>An import refused before anything was written, with every problem found.</summary>
public sealed class ImportException : Exception
{
    /// <summary>Creates the exception from a summary and the per-feature problems.</summary>
    public ImportException(string message, IReadOnlyList<FeatureProblem>? problems = null)
        : base(message)
    {
        Problems = problems ?? [];
    }

    /// <summary>The rejected features, each with its number and reason.</summary>
    public IReadOnlyList<FeatureProblem> Problems { get; }
}
