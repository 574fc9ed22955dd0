using System.Globalization;

namespace GeoMine.Geo.Crs;

/// <summary>
/// A CGCS2000 Gauss-Kruger zone (transverse Mercator on the CGCS2000 ellipsoid, scale 1, false
/// northing 0, false easting 500 000 m, or zone × 1 000 000 + 500 000 m when the easting carries the
/// zone prefix). EPSG axis order of all these systems is northing, easting; GeoMine always passes
/// easting first (x = easting, y = northing, metres).
/// </summary>
/// <param name="Width">3- or 6-degree zones.</param>
/// <param name="Number">Zone number: 25-45 for 3-degree, 13-23 for 6-degree zones.</param>
public readonly record struct GaussKrugerZone(ZoneWidth Width, int Number)
{
    /// <summary>False easting without zone prefix, metres.</summary>
    public const double FalseEastingMetres = 500_000;

    /// <summary>Lowest and highest zone numbers per width (China: 75°E…135°E).</summary>
    public static (int First, int Last) NumberRange(ZoneWidth width) =>
        width == ZoneWidth.ThreeDegree ? (25, 45) : (13, 23);

    /// <summary>Central meridian, degrees east.</summary>
    public double CentralMeridianDegrees =>
        Width == ZoneWidth.ThreeDegree ? 3.0 * Number : (6.0 * Number) - 3.0;

    /// <summary>Half the zone width, degrees of longitude.</summary>
    public double HalfWidthDegrees => (int)Width / 2.0;

    /// <summary>False easting of the zone-prefixed system (zone × 10⁶ + 500 000), metres.</summary>
    public double PrefixedFalseEastingMetres => (Number * 1_000_000.0) + FalseEastingMetres;

    /// <summary>EPSG code of the zone-prefixed system: 4513-4533 (3-degree) or 4491-4501 (6-degree).</summary>
    public int PrefixedEpsg => Width == ZoneWidth.ThreeDegree ? 4513 + (Number - 25) : 4491 + (Number - 13);

    /// <summary>EPSG code of the system named by central meridian (false easting 500 000 m):
    /// 4534-4554 (3-degree) or 4502-4512 (6-degree).</summary>
    public int CentralMeridianEpsg => Width == ZoneWidth.ThreeDegree ? 4534 + (Number - 25) : 4502 + (Number - 13);

    /// <summary>The zone of <paramref name="width"/> that holds <paramref name="longitudeDegrees"/>
    /// (a meridian on a zone edge belongs to the zone east of it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude outside 73.5°E…136.5°E (3-degree) or 72°E…138°E (6-degree).</exception>
    public static GaussKrugerZone FromLongitude(double longitudeDegrees, ZoneWidth width = ZoneWidth.ThreeDegree)
    {
        var number = width == ZoneWidth.ThreeDegree
            ? (int)Math.Floor((longitudeDegrees + 1.5) / 3.0)
            : (int)Math.Floor(longitudeDegrees / 6.0) + 1;
        var (first, last) = NumberRange(width);
        if (double.IsNaN(longitudeDegrees) || number < first || number > last)
        {
            throw new ArgumentOutOfRangeException(nameof(longitudeDegrees), longitudeDegrees,
                $"longitude {longitudeDegrees.ToString(CultureInfo.InvariantCulture)}° is outside the CGCS2000 {(int)width}-degree zones {first}-{last}");
        }

        return new GaussKrugerZone(width, number);
    }

    /// <summary>The zone named by the prefix of an easting such as 41 473 349.92 m (zone 41).
    /// Prefixes 25-45 are 3-degree zones, 13-23 6-degree zones; null when the easting has no valid prefix.</summary>
    public static GaussKrugerZone? FromPrefixedEasting(double eastingMetres)
    {
        if (!(eastingMetres >= 1_000_000))
        {
            return null;
        }

        var prefix = (int)Math.Floor(eastingMetres / 1_000_000.0);
        return TryFromNumber(prefix);
    }

    /// <summary>The zone with number <paramref name="number"/>: 25-45 → 3-degree, 13-23 → 6-degree, else null.</summary>
    public static GaussKrugerZone? TryFromNumber(int number) => number switch
    {
        >= 25 and <= 45 => new GaussKrugerZone(ZoneWidth.ThreeDegree, number),
        >= 13 and <= 23 => new GaussKrugerZone(ZoneWidth.SixDegree, number),
        _ => null,
    };

    /// <summary>The 3-degree zone whose central meridian is <paramref name="centralMeridianDegrees"/>
    /// (a multiple of 3 between 75 and 135), else the 6-degree one (6n − 3); null if neither.
    /// Both give the same projection when eastings carry no prefix.</summary>
    public static GaussKrugerZone? FromCentralMeridian(double centralMeridianDegrees)
    {
        var rounded = Math.Round(centralMeridianDegrees);
        if (Math.Abs(rounded - centralMeridianDegrees) > 1e-9 || rounded < 75 || rounded > 135)
        {
            return null;
        }

        var cm = (int)rounded;
        if (cm % 3 == 0)
        {
            return new GaussKrugerZone(ZoneWidth.ThreeDegree, cm / 3);
        }

        return (cm + 3) % 6 == 0 ? new GaussKrugerZone(ZoneWidth.SixDegree, (cm + 3) / 6) : null;
    }

    /// <summary>The zone of a CGCS2000 Gauss-Kruger EPSG code (4491-4554) and whether its eastings carry
    /// the zone prefix; null for any other code.</summary>
    public static (GaussKrugerZone Zone, bool Prefixed)? FromEpsg(int epsg) => epsg switch
    {
        >= 4491 and <= 4501 => (new GaussKrugerZone(ZoneWidth.SixDegree, 13 + (epsg - 4491)), true),
        >= 4502 and <= 4512 => (new GaussKrugerZone(ZoneWidth.SixDegree, 13 + (epsg - 4502)), false),
        >= 4513 and <= 4533 => (new GaussKrugerZone(ZoneWidth.ThreeDegree, 25 + (epsg - 4513)), true),
        >= 4534 and <= 4554 => (new GaussKrugerZone(ZoneWidth.ThreeDegree, 25 + (epsg - 4534)), false),
        _ => null,
    };

    /// <summary>EPSG code of this zone, prefixed or by central meridian.</summary>
    public int Epsg(bool prefixed) => prefixed ? PrefixedEpsg : CentralMeridianEpsg;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"CGCS2000 {(int)Width}-degree Gauss-Kruger zone {Number} (CM {CentralMeridianDegrees}°E)");
}
