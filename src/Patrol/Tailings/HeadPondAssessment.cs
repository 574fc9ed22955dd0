namespace GeoMine.Patrol.Tailings;

/// <summary>Is the pond a 头顶库: residents or important facilities within the first
/// <see cref="TailingsOptions.DownstreamReachM"/> of the downstream flow path, measured along the path from the
/// starter-dam toe, inside a lateral corridor of the path.</summary>
/// <param name="Status"><c>yes</c>, <c>no</c>, or <c>unknown</c> when the pond has no flow path on record (never "no" by default).</param>
/// <param name="Facilities">What lies in the reach, nearest first.</param>
public sealed record HeadPondAssessment(string Status, IReadOnlyList<DownstreamFacility> Facilities)
{
    /// <summary>A 头顶库.</summary>
    public bool IsHead => Status == "yes";

    /// <summary>The assessment of a pond without a flow path.</summary>
    public static HeadPondAssessment Unknown { get; } = new("unknown", []);
}

/// <summary>A facility in the downstream reach of a pond.</summary>
/// <param name="Code">Facility code.</param>
/// <param name="Name">Facility name.</param>
/// <param name="Kind">residential, school, hospital, factory or other.</param>
/// <param name="Population">People, if known.</param>
/// <param name="AlongM">Distance along the flow path from the dam toe to the path point nearest the facility (m).</param>
/// <param name="OffM">Distance of the facility from the path (m).</param>
/// <param name="StraightM">Straight-line distance from the dam toe (m), for comparison.</param>
public sealed record DownstreamFacility(string Code, string Name, string Kind, int? Population, double AlongM, double OffM, double StraightM);
