using System.Globalization;

namespace GeoMine.Viewer.Ogc;

/// <summary>
/// Output reference systems of the OGC API (Features Part 2). Stored geometry is CGCS2000 lon/lat,
/// served as CRS84 by default (CGCS2000 and WGS84 agree within decimetres; no shift is applied, as
/// everywhere in GeoMine). EPSG codes are answered in their EPSG axis order: latitude first for
/// EPSG:4490/4326, northing first for the Gauss-Kruger codes, which PostGIS transforms to.
/// </summary>
internal static class OgcCrs
{
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    private const string EpsgPrefix = "http://www.opengis.net/def/crs/EPSG/0/";

    /// <summary>Every CRS a collection can be served in.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        [Crs84, EpsgPrefix + "4490", EpsgPrefix + "4326", .. Enumerable.Range(4491, 64).Select(c => EpsgPrefix + c.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The EPSG code to transform to (null = stored lon/lat) and whether to swap axes; false when unsupported.</summary>
    public static bool TryParse(string? uri, out int? transformTo, out bool flipAxes)
    {
        (transformTo, flipAxes) = (null, false);
        if (string.IsNullOrEmpty(uri) || uri == Crs84)
        {
            return true;
        }

        var code = uri.StartsWith(EpsgPrefix, StringComparison.Ordinal) ? uri[EpsgPrefix.Length..]
            : uri.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? uri[5..] : null;
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var epsg))
        {
            return false;
        }

        switch (epsg)
        {
            case 4490 or 4326:
                flipAxes = true; // latitude, longitude
                return true;
            case >= 4491 and <= 4554:
                (transformTo, flipAxes) = (epsg, true); // northing, easting
                return true;
            default:
                return false;
        }
    }

    public static string Uri(string? requested) =>
        string.IsNullOrEmpty(requested) || requested == Crs84 ? Crs84
        : requested.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? EpsgPrefix + requested[5..] : requested;
}
