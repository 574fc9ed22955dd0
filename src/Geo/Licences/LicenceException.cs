namespace GeoMine.Geo.Licences;

/// <summary>The licence text cannot be turned into a licensed area; <see cref="Problems"/> says where and why.</summary>
public sealed class LicenceException(string message, IReadOnlyList<LicenceProblem> problems) : Exception(message)
{
    /// <summary>Every problem found (all of them, not just the first).</summary>
    public IReadOnlyList<LicenceProblem> Problems { get; } = problems;
}
