namespace GeoMine.Patrol.Responsibility;

/// <summary>What someone answers for, by its natural key.</summary>
/// <param name="Kind"><c>sealed_shaft</c>, <c>closed_mine</c>, <c>tailings_pond</c> or <c>town</c> (any jurisdiction: town, county…).</param>
/// <param name="Code">The shaft code (e.g. YC-CM-001-J1), mine code (e.g. YC-CM-001), pond code (e.g. YC-TP-01) or jurisdiction code (e.g. 500118101).</param>
public sealed record ResponsibleObject(string Kind, string Code)
{
    /// <summary>A sealed shaft by code.</summary>
    public static ResponsibleObject Shaft(string code) => new("sealed_shaft", code);

    /// <summary>A closed mine by code.</summary>
    public static ResponsibleObject Mine(string code) => new("closed_mine", code);

    /// <summary>A jurisdiction (town, county…) by its administrative code: whose leader alarms go up to.</summary>
    public static ResponsibleObject Jurisdiction(string code) => new("town", code);

    /// <summary>A tailings pond by code.</summary>
    public static ResponsibleObject Pond(string code) => new("tailings_pond", code);
}
