namespace GeoMine.Patrol.Coverage;

/// <summary>A coverage request that cannot be answered: a bad period, or a scope naming an unknown town, person
/// or mine. <see cref="Parameter"/> says which input (from, to, town, person, mine).</summary>
public sealed class CoverageInputException(string parameter, string message) : Exception($"{parameter}: {message}")
{
    /// <summary>from, to, town, person or mine.</summary>
    public string Parameter { get; } = parameter;
}
