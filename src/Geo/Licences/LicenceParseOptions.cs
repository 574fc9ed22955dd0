using GeoMine.Geo.Crs;

namespace GeoMine.Geo.Licences;

/// <summary>
/// What the licence text may not say itself: the Gauss-Kruger system of eastings written without the
/// zone prefix (6 digits). Give at most one of <see cref="Zone"/>, <see cref="CentralMeridianDegrees"/>
/// and <see cref="Srs"/>. Eastings with a prefix (8 digits) name their zone; an option that disagrees is an error.
/// </summary>
public sealed record LicenceParseOptions
{
    /// <summary>Zone number: 25-45 (3-degree) or 13-23 (6-degree), <c>--zone</c>.</summary>
    public int? Zone { get; init; }

    /// <summary>Central meridian in degrees east, <c>--cm</c>.</summary>
    public double? CentralMeridianDegrees { get; init; }

    /// <summary>A Gauss-Kruger system (CGCS2000 EPSG:4491-4554, or Xi'an 1980 / Beijing 1954), <c>--srs</c>.</summary>
    public SpatialReference? Srs { get; init; }

    /// <summary>The transformations configured (<c>Crs:Transformations</c>).</summary>
    public IReadOnlyList<DatumTransformation> Transformations { get; init; } = [];

    /// <summary>The one to apply to a Xi'an 1980 / Beijing 1954 licence, <c>--datum-transform NAME</c>.</summary>
    public string? DatumTransform { get; init; }
}
