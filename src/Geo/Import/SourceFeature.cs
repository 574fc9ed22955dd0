namespace GeoMine.Geo.Import;

/// <summary>One feature as read from a source file: its 1-based position in the file, its
/// geometry as WKT in EPSG:4490 (empty when the feature has none) and its attributes by source name.</summary>
public sealed record SourceFeature(int Number, string Wkt, IReadOnlyDictionary<string, string> Attributes);
