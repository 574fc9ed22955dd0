namespace GeoMine.Geo.Import;

/// <summary>Why feature number <paramref name="Feature"/> (1-based, file order) was rejected.</summary>
public sealed record FeatureProblem(int Feature, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"feature {Feature}: {Reason}";
}
