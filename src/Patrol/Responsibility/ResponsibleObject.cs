namespace GeoMine.Patrol.Responsibility;

/// <summary>What someone answers for, by its natural key.</summary>
/// <param name="Kind"><c>sealed_shaft</c> or <c>closed_mine</c>.</param>
/// <param name="Code">The shaft code (e.g. YC-CM-001-J1) or mine code (e.g. YC-CM-001).</param>
public sealed record ResponsibleObject(string Kind, string Code)
{
    /// <summary>A sealed shaft by code.</summary>
    public static ResponsibleObject Shaft(string code) => new("sealed_shaft", code);

    /// <summary>A closed mine by code.</summary>
    public static ResponsibleObject Mine(string code) => new("closed_mine", code);
}
