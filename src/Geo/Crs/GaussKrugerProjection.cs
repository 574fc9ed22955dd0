using System.Globalization;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace GeoMine.Geo.Crs;

/// <summary>
/// Forward and inverse transverse Mercator of one CGCS2000 Gauss-Kruger system, built from the zone's
/// parameters (ProjNet has no EPSG database; the definition follows EPSG: GRS80-based CGCS2000
/// ellipsoid a = 6 378 137 m, 1/f = 298.257222101, k0 = 1, false northing 0). Longitude/latitude in
/// degrees on EPSG:4490, easting/northing in metres, always easting first. Thread-safe.
/// </summary>
public sealed class GaussKrugerProjection
{
    private static readonly CoordinateSystemFactory Factory = new();
    private static readonly CoordinateTransformationFactory Transformations = new();

    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;

    /// <summary>Builds the projection of <paramref name="zone"/>, with zone-prefixed eastings or not.</summary>
    public GaussKrugerProjection(GaussKrugerZone zone, bool prefixed)
    {
        Zone = zone;
        Prefixed = prefixed;
        var projected = (ProjectedCoordinateSystem)Factory.CreateFromWkt(Wkt(zone, prefixed));
        var transform = Transformations.CreateFromCoordinateSystems(projected.GeographicCoordinateSystem, projected);
        _forward = transform.MathTransform;
        _inverse = Transformations.CreateFromCoordinateSystems(projected, projected.GeographicCoordinateSystem).MathTransform;
    }

    /// <summary>The zone projected to.</summary>
    public GaussKrugerZone Zone { get; }

    /// <summary>Whether eastings carry the zone prefix.</summary>
    public bool Prefixed { get; }

    /// <summary>Longitude, latitude (degrees, EPSG:4490) → easting, northing (metres).</summary>
    public (double EastingMetres, double NorthingMetres) Forward(double longitudeDegrees, double latitudeDegrees)
    {
        double x = longitudeDegrees, y = latitudeDegrees, z = 0;
        _forward.Transform(ref x, ref y, ref z);
        return (x, y);
    }

    /// <summary>Easting, northing (metres) → longitude, latitude (degrees, EPSG:4490).</summary>
    public (double LongitudeDegrees, double LatitudeDegrees) Inverse(double eastingMetres, double northingMetres)
    {
        double x = eastingMetres, y = northingMetres, z = 0;
        _inverse.Transform(ref x, ref y, ref z);
        return (x, y);
    }

    /// <summary>WKT 1 of the system, generated from the zone (the same text `projinfo -o WKT1_GDAL` gives, minus authority tags).</summary>
    internal static string Wkt(GaussKrugerZone zone, bool prefixed)
    {
        var falseEasting = prefixed ? zone.PrefixedFalseEastingMetres : GaussKrugerZone.FalseEastingMetres;
        return string.Create(CultureInfo.InvariantCulture, $"""
            PROJCS["{zone}",
              GEOGCS["China Geodetic Coordinate System 2000",
                DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],
                PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],
              PROJECTION["Transverse_Mercator"],
              PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{zone.CentralMeridianDegrees}],
              PARAMETER["scale_factor",1],PARAMETER["false_easting",{falseEasting}],PARAMETER["false_northing",0],
              UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]
            """);
    }
}
