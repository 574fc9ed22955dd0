namespace GeoMine.Geo.Licences;

/// <summary>A corner point (拐点) as written in the licence: X = northing, Y = easting (metres, Gauss-Kruger).</summary>
/// <param name="LineNumber">1-based line of the text.</param>
/// <param name="Label">Point number as written (1, J1…).</param>
/// <param name="NorthingMetres">X, northing, metres.</param>
/// <param name="EastingMetres">Y, easting, metres, with the zone prefix when <see cref="HasZonePrefix"/>.</param>
/// <param name="HasZonePrefix">True when Y was written with 8 integer digits (2-digit zone prefix).</param>
public sealed record CornerPoint(int LineNumber, string Label, double NorthingMetres, double EastingMetres, bool HasZonePrefix);
