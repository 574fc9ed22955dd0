using System.Globalization;

namespace GeoMine.Geo.Crs;

/// <summary>
/// A coordinate reference system GeoMine can transform: EPSG:4490 (CGCS2000), EPSG:4326 (WGS84,
/// treated as CGCS2000 — the two frames differ by centimetres to decimetres, below consumer GPS
/// noise, and PROJ itself uses a null transformation between them), GCJ-02, and the CGCS2000
/// Gauss-Kruger systems EPSG:4491-4554. Coordinates are always passed x = longitude or easting,
/// y = latitude or northing, whatever the EPSG axis order.
/// </summary>
public sealed record SpatialReference
{
    private SpatialReference(CrsKind kind, int? epsg, GaussKrugerZone? zone, bool prefixed)
    {
        Kind = kind;
        Epsg = epsg;
        Zone = zone;
        Prefixed = prefixed;
    }

    /// <summary>CGCS2000 geographic, EPSG:4490.</summary>
    public static SpatialReference Cgcs2000 { get; } = new(CrsKind.Geographic, Srid.Cgcs2000, null, false);

    /// <summary>WGS84 geographic, EPSG:4326 (treated as CGCS2000).</summary>
    public static SpatialReference Wgs84 { get; } = new(CrsKind.Geographic, Srid.Wgs84, null, false);

    /// <summary>GCJ-02 (no EPSG code).</summary>
    public static SpatialReference Gcj02 { get; } = new(CrsKind.Gcj02, null, null, false);

    /// <summary>What kind of system this is.</summary>
    public CrsKind Kind { get; }

    /// <summary>EPSG code, null for GCJ-02.</summary>
    public int? Epsg { get; }

    /// <summary>The Gauss-Kruger zone, for <see cref="CrsKind.GaussKruger"/> only.</summary>
    public GaussKrugerZone? Zone { get; }

    /// <summary>Whether eastings carry the zone prefix (false easting zone × 10⁶ + 500 000 m).</summary>
    public bool Prefixed { get; }

    /// <summary>The Gauss-Kruger system of <paramref name="zone"/>, prefixed or not.</summary>
    public static SpatialReference GaussKruger(GaussKrugerZone zone, bool prefixed) =>
        new(CrsKind.GaussKruger, zone.Epsg(prefixed), zone, prefixed);

    /// <summary>The system of an EPSG code, or null when GeoMine does not know it.</summary>
    public static SpatialReference? FromEpsg(int epsg) => epsg switch
    {
        Srid.Cgcs2000 => Cgcs2000,
        Srid.Wgs84 => Wgs84,
        _ => GaussKrugerZone.FromEpsg(epsg) is { } z ? GaussKruger(z.Zone, z.Prefixed) : null,
    };

    /// <summary>Parses <c>EPSG:4545</c>, <c>4545</c> or <c>gcj02</c> (also <c>GCJ-02</c>), case-insensitive.</summary>
    /// <exception cref="FormatException">Unknown or unsupported system; the message lists what is supported.</exception>
    public static SpatialReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("gcj02", StringComparison.OrdinalIgnoreCase) || t.Equals("gcj-02", StringComparison.OrdinalIgnoreCase))
        {
            return Gcj02;
        }

        var digits = t.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? t[5..] : t;
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && FromEpsg(code) is { } srs)
        {
            return srs;
        }

        throw new FormatException(
            $"unsupported coordinate system '{text}': use EPSG:4490 (CGCS2000), EPSG:4326 (WGS84), gcj02, " +
            "or a CGCS2000 Gauss-Kruger EPSG code 4491-4554");
    }

    /// <summary>True for longitude/latitude systems (degrees), false for Gauss-Kruger (metres).</summary>
    public bool IsGeographic => Kind != CrsKind.GaussKruger;

    /// <inheritdoc />
    public override string ToString() => Epsg is { } e ? $"EPSG:{e}" : "GCJ-02";
}
