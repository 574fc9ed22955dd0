namespace GeoMine.Patrol.Coverage;

/// <summary>A scope part names nothing known (unknown town, person or mine); <see cref="Parameter"/> says which.</summary>
public sealed class CoverageScopeException(string parameter, string message) : Exception($"{parameter}: {message}")
{
    /// <summary>town, person or mine.</summary>
    public string Parameter { get; } = parameter;
}
