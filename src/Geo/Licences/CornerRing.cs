namespace GeoMine.Geo.Licences;

/// <summary>A ring of corner points as read, before validation, with the block it belongs to.</summary>
/// <param name="Points">The points in order (the first point is not repeated at the end).</param>
/// <param name="BlockName">Block (区块 / 采区) name, or null when the text gives none.</param>
/// <param name="UpperMetres">Upper elevation of the block from the ring's closing line, metres (1985 heights).</param>
/// <param name="LowerMetres">Lower elevation, metres.</param>
/// <param name="IsExcluded">True when the closing line marks the ring as an area cut out of its block (flag −1).</param>
/// <param name="EndLine">Line that closed the ring (the <c>*</c> line, or the last point).</param>
public sealed record CornerRing(
    IReadOnlyList<CornerPoint> Points, string? BlockName, double? UpperMetres, double? LowerMetres, bool IsExcluded, int EndLine);
