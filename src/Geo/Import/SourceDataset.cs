namespace GeoMine.Geo.Import;

/// <summary>A source file read through GDAL and reprojected to EPSG:4490.</summary>
/// <param name="Path">The file read.</param>
/// <param name="SourceCrs">The source reference system's name as GDAL reports it.</param>
/// <param name="Encoding">Attribute encoding used and why (shapefiles), or null.</param>
/// <param name="FieldNames">Source attribute names in file order.</param>
/// <param name="Features">The features in file order.</param>
/// <param name="Warnings">Warnings GDAL printed while reading.</param>
public sealed record SourceDataset(
    string Path,
    string SourceCrs,
    string? Encoding,
    IReadOnlyList<string> FieldNames,
    IReadOnlyList<SourceFeature> Features,
    IReadOnlyList<string> Warnings);
