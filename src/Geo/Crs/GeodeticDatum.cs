using System.Text.RegularExpressions;

namespace GeoMine.Geo.Crs;

/// <summary>
/// The geodetic datums Chinese mining data comes in: CGCS2000 (what GeoMine stores), and the two it replaced, Xi'an 1980
/// (IAG 1975 ellipsoid) and Beijing 1954 (Krassowsky). Between an old datum and CGCS2000 no exact transformation exists
/// without local parameters (the shift reaches tens of metres and varies across the country): data in an old datum is
/// refused unless the operator names a configured transformation (<see cref="DatumTransformation"/>).
/// </summary>
/// <param name="Code">Short code used in configuration: cgcs2000, xian1980, beijing1954.</param>
/// <param name="Name">English name.</param>
/// <param name="ChineseName">Name as officials write it.</param>
/// <param name="SemiMajorMetres">Ellipsoid semi-major axis, metres.</param>
/// <param name="InverseFlattening">Ellipsoid 1/f.</param>
/// <param name="ProjEllipsoid">PROJ's name of the ellipsoid (+ellps=).</param>
public sealed partial record GeodeticDatum(string Code, string Name, string ChineseName, double SemiMajorMetres, double InverseFlattening, string ProjEllipsoid)
{
    /// <summary>CGCS2000 (2000国家大地坐标系), GRS80-sized ellipsoid.</summary>
    public static GeodeticDatum Cgcs2000 { get; } = new("cgcs2000", "CGCS2000", "2000国家大地坐标系", 6378137, 298.257222101, "GRS80");

    /// <summary>Xi'an 1980 (1980西安坐标系), IAG 1975 ellipsoid (EPSG:4610; PROJ IAU76).</summary>
    public static GeodeticDatum Xian1980 { get; } = new("xian1980", "Xi'an 1980", "1980西安坐标系", 6378140, 298.257, "IAU76");

    /// <summary>Beijing 1954 (1954北京坐标系), Krassowsky 1940 ellipsoid (EPSG:4214).</summary>
    public static GeodeticDatum Beijing1954 { get; } = new("beijing1954", "Beijing 1954", "1954北京坐标系", 6378245, 298.3, "krass");

    /// <summary>True for the datums GeoMine never takes as CGCS2000.</summary>
    public bool IsLegacy => Code != Cgcs2000.Code;

    /// <summary>The datum of a code (cgcs2000, xian1980, beijing1954), or null.</summary>
    public static GeodeticDatum? FromCode(string code) =>
        new[] { Cgcs2000, Xian1980, Beijing1954 }.FirstOrDefault(d => d.Code.Equals(code.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The old datum a text names, in any spelling officials and GIS files use (1980年西安坐标系, 西安80, 国家80坐标系,
    /// Xian 1980, D_Xian_1980, 1954年北京坐标系, 北京54, Beijing_1954, New_Beijing…), with the words matched; null when it names none.</summary>
    public static (GeodeticDatum Datum, string Words)? RecogniseLegacy(string text)
    {
        if (XianPattern().Match(text) is { Success: true } xian)
        {
            return (Xian1980, xian.Value);
        }

        return BeijingPattern().Match(text) is { Success: true } beijing ? (Beijing1954, beijing.Value) : null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({ChineseName})";

    [GeneratedRegex(@"(?:19)?80\s*年?\s*西安|西安\s*-?\s*(?:19)?80|国家\s*(?:19)?80|Xi['’]?an[\s_\-]*(?:19)?80", RegexOptions.IgnoreCase)]
    private static partial Regex XianPattern();

    [GeneratedRegex(@"(?:19)?54\s*年?\s*北京|北京\s*-?\s*(?:19)?54|Beijing[\s_\-]*(?:19)?54|New[\s_]Beijing", RegexOptions.IgnoreCase)]
    private static partial Regex BeijingPattern();
}
