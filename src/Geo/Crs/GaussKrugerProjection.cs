using System.Globalization;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace GeoMine.Geo.Crs;

/// <summary>
/// Forward and inverse transverse Mercator of one CGCS2000 Gauss-Kruger system, built from the zone's
/// parameters (ProjNet has no EPSG database; the definition follows EPSG: GRS80-based CGCS2000
/// ellipsoid a = 6 378 137 m, 1/f = 298.257222101, k0 = 1, false northing 0). Longitude/latitude in
/// degrees on EPSG:4490, easting/northing in metres, always easting first. Thread-safe.
/// A system on an old datum (Xi'an 1980, Beijing 1954) is projected on its own ellipsoid by ProjNet and shifted to CGCS2000
/// by <see cref="HelmertShift"/> (PROJ's +towgs84 arithmetic: ProjNet's own datum shift differs from PROJ by millimetres),
/// so <see cref="Inverse"/> gives CGCS2000 longitude/latitude and <see cref="Forward"/> takes them.
/// </summary>
public sealed class GaussKrugerProjection
{
    private static readonly CoordinateSystemFactory Factory = new();
    private static readonly CoordinateTransformationFactory Transformations = new();

    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;
    private readonly HelmertShift? _shift;

    /// <summary>Builds the projection of <paramref name="zone"/>, with zone-prefixed eastings or not.</summary>
    public GaussKrugerProjection(GaussKrugerZone zone, bool prefixed)
        : this(zone, prefixed, GeodeticDatum.Cgcs2000, null)
    {
    }

    /// <summary>Builds the projection of <paramref name="zone"/> on <paramref name="datum"/>; an old datum needs <paramref name="shift"/>.</summary>
    public GaussKrugerProjection(GaussKrugerZone zone, bool prefixed, GeodeticDatum datum, DatumTransformation? shift)
    {
        Zone = zone;
        Prefixed = prefixed;
        if (datum.IsLegacy && shift is null)
        {
            throw new ArgumentException($"{datum.Name} needs a datum transformation to CGCS2000", nameof(shift));
        }

        var projected = (ProjectedCoordinateSystem)Factory.CreateFromWkt(Wkt(zone, prefixed, datum));
        _forward = Transformations.CreateFromCoordinateSystems(projected.GeographicCoordinateSystem, projected).MathTransform;
        _inverse = Transformations.CreateFromCoordinateSystems(projected, projected.GeographicCoordinateSystem).MathTransform;
        _shift = datum.IsLegacy ? new HelmertShift(shift!) : null;
    }

    /// <summary>The zone projected to.</summary>
    public GaussKrugerZone Zone { get; }

    /// <summary>Whether eastings carry the zone prefix.</summary>
    public bool Prefixed { get; }

    /// <summary>Longitude, latitude (degrees, EPSG:4490) → easting, northing (metres).</summary>
    public (double EastingMetres, double NorthingMetres) Forward(double longitudeDegrees, double latitudeDegrees)
    {
        var (lon, lat) = _shift is null ? (longitudeDegrees, latitudeDegrees) : _shift.FromCgcs2000(longitudeDegrees, latitudeDegrees);
        double x = lon, y = lat, z = 0;
        _forward.Transform(ref x, ref y, ref z);
        return (x, y);
    }

    /// <summary>Easting, northing (metres) → longitude, latitude (degrees, EPSG:4490).</summary>
    public (double LongitudeDegrees, double LatitudeDegrees) Inverse(double eastingMetres, double northingMetres)
    {
        double x = eastingMetres, y = northingMetres, z = 0;
        _inverse.Transform(ref x, ref y, ref z);
        return _shift is null ? (x, y) : _shift.ToCgcs2000(x, y);
    }

    /// <summary>WKT 1 of the system, generated from the zone (the same text `projinfo -o WKT1_GDAL` gives, minus authority tags).</summary>
    internal static string Wkt(GaussKrugerZone zone, bool prefixed, GeodeticDatum? datum = null)
    {
        var falseEasting = prefixed ? zone.PrefixedFalseEastingMetres : GaussKrugerZone.FalseEastingMetres;
        return string.Create(CultureInfo.InvariantCulture, $"""
            PROJCS["{zone}",
              {GeographicWkt(datum ?? GeodeticDatum.Cgcs2000)},
              PROJECTION["Transverse_Mercator"],
              PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{zone.CentralMeridianDegrees}],
              PARAMETER["scale_factor",1],PARAMETER["false_easting",{falseEasting}],PARAMETER["false_northing",0],
              UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]
            """);
    }

    /// <summary>WKT1 GEOGCS of a datum (its ellipsoid; the shift to CGCS2000 is <see cref="HelmertShift"/>'s, not ProjNet's).</summary>
    private static string GeographicWkt(GeodeticDatum datum) => !datum.IsLegacy
        ? """GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"""
        : string.Create(CultureInfo.InvariantCulture,
            $"""GEOGCS["{datum.Name}",DATUM["{datum.Code}",SPHEROID["{datum.ProjEllipsoid}",{datum.SemiMajorMetres},{datum.InverseFlattening}]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]""");
}
