using System.Globalization;

namespace GeoMine.Geo.Crs;

/// <summary>
/// A coordinate reference system GeoMine can transform: EPSG:4490 (CGCS2000), EPSG:4326 (WGS84,
/// treated as CGCS2000 — the two frames differ by centimetres to decimetres, below consumer GPS
/// noise, and PROJ itself uses a null transformation between them), GCJ-02, and the CGCS2000
/// Gauss-Kruger systems EPSG:4491-4554 — and, recognised so that they are never taken as CGCS2000, the Xi'an 1980 and
/// Beijing 1954 systems (EPSG:4610, 4214, 2327-2390, 2401-2442, 21413-21423, 21453-21463, 21473-21483), which convert
/// only with a configured <see cref="DatumTransformation"/>. Coordinates are always passed x = longitude or easting,
/// y = latitude or northing, whatever the EPSG axis order.
/// </summary>
public sealed record SpatialReference
{
    private SpatialReference(CrsKind kind, int? epsg, GaussKrugerZone? zone, bool prefixed, GeodeticDatum? datum = null)
    {
        Kind = kind;
        Epsg = epsg;
        Zone = zone;
        Prefixed = prefixed;
        Datum = datum ?? GeodeticDatum.Cgcs2000;
    }

    /// <summary>CGCS2000 geographic, EPSG:4490.</summary>
    public static SpatialReference Cgcs2000 { get; } = new(CrsKind.Geographic, Srid.Cgcs2000, null, false);

    /// <summary>WGS84 geographic, EPSG:4326 (treated as CGCS2000).</summary>
    public static SpatialReference Wgs84 { get; } = new(CrsKind.Geographic, Srid.Wgs84, null, false);

    /// <summary>GCJ-02 (no EPSG code).</summary>
    public static SpatialReference Gcj02 { get; } = new(CrsKind.Gcj02, null, null, false);

    /// <summary>The datum: CGCS2000 except for the old systems (<see cref="GeodeticDatum.IsLegacy"/>).</summary>
    public GeodeticDatum Datum { get; }

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

    /// <summary>The Gauss-Kruger system of <paramref name="zone"/> on <paramref name="datum"/> (EPSG code of the old systems
    /// where EPSG has one).</summary>
    public static SpatialReference GaussKruger(GaussKrugerZone zone, bool prefixed, GeodeticDatum datum) =>
        !datum.IsLegacy ? GaussKruger(zone, prefixed)
            : new(CrsKind.GaussKruger, LegacyCodes().FirstOrDefault(c => c.Srs.Datum == datum && c.Srs.Zone == zone && c.Srs.Prefixed == prefixed).Epsg is var e and > 0 ? e : null,
                zone, prefixed, datum);

    /// <summary>The system of an EPSG code, or null when GeoMine does not know it.</summary>
    public static SpatialReference? FromEpsg(int epsg) => epsg switch
    {
        Srid.Cgcs2000 => Cgcs2000,
        Srid.Wgs84 => Wgs84,
        _ => GaussKrugerZone.FromEpsg(epsg) is { } z ? GaussKruger(z.Zone, z.Prefixed)
            : LegacyCodes().FirstOrDefault(c => c.Epsg == epsg).Srs,
    };

    /// <summary>The Xi'an 1980 and Beijing 1954 systems EPSG numbers (as <c>projinfo EPSG:n</c> describes them).</summary>
    private static IEnumerable<(int Epsg, SpatialReference Srs)> LegacyCodes()
    {
        var xian = GeodeticDatum.Xian1980;
        var beijing = GeodeticDatum.Beijing1954;
        yield return (4610, new(CrsKind.Geographic, 4610, null, false, xian));
        yield return (4214, new(CrsKind.Geographic, 4214, null, false, beijing));
        foreach (var (first, datum, width, firstZone, count, prefixed) in new[]
                 {
                     (2327, xian, ZoneWidth.SixDegree, 13, 11, true), (2338, xian, ZoneWidth.SixDegree, 13, 11, false),
                     (2349, xian, ZoneWidth.ThreeDegree, 25, 21, true), (2370, xian, ZoneWidth.ThreeDegree, 25, 21, false),
                     (2401, beijing, ZoneWidth.ThreeDegree, 25, 21, true), (2422, beijing, ZoneWidth.ThreeDegree, 25, 21, false),
                     (21413, beijing, ZoneWidth.SixDegree, 13, 11, true), (21453, beijing, ZoneWidth.SixDegree, 13, 11, false),
                     (21473, beijing, ZoneWidth.SixDegree, 13, 11, false),
                 })
        {
            for (var i = 0; i < count; i++)
            {
                var zone = new GaussKrugerZone(width, firstZone + i);
                yield return (first + i, new(CrsKind.GaussKruger, first + i, zone, prefixed, datum));
            }
        }
    }

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
            "a CGCS2000 Gauss-Kruger EPSG code 4491-4554, or a Xi'an 1980 / Beijing 1954 code (4610, 2327-2390; 4214, 2401-2442, 21413-21483) with --datum-transform");
    }

    /// <summary><see cref="Parse"/>, or null when the text names no system GeoMine knows.</summary>
    public static SpatialReference? TryParse(string text)
    {
        try
        {
            return Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True for longitude/latitude systems (degrees), false for Gauss-Kruger (metres).</summary>
    public bool IsGeographic => Kind != CrsKind.GaussKruger;

    /// <inheritdoc />
    public override string ToString() => Datum.IsLegacy
        ? $"{(Epsg is { } code ? $"EPSG:{code}, " : "")}{Datum.Name}{(Zone is { } z ? $" {(int)z.Width}-degree Gauss-Kruger zone {z.Number} (CM {z.CentralMeridianDegrees}°E){(Prefixed ? ", prefixed" : "")}" : "")}"
        : Epsg is { } e ? $"EPSG:{e}" : "GCJ-02";
}
