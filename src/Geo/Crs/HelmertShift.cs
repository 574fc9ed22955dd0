namespace GeoMine.Geo.Crs;

/// <summary>
/// Longitude/latitude on an old datum ↔ CGCS2000 by a 7-parameter Helmert transformation in PROJ's <c>+towgs84</c> form:
/// geodetic → geocentric on the source ellipsoid, the linearised position-vector rotation PROJ applies to <c>+towgs84</c>
/// (<c>X' = T + (1 + s)(X − rz·Y + ry·Z, rz·X + Y − rx·Z, −ry·X + rx·Y + Z)</c>, rotations arc-seconds, scale ppm), then
/// geocentric → geodetic on GRS80 (CGCS2000), iterated to 1e-14 rad. Heights are taken as 0 on the way in and dropped on the
/// way out, as <c>cs2cs</c> does with 2-D input.
/// </summary>
public sealed class HelmertShift
{
    private const double ArcSecond = Math.PI / (180 * 3600);
    private readonly GeodeticDatum _datum;
    private readonly double _dx, _dy, _dz, _rx, _ry, _rz, _m;

    /// <summary>The shift of <paramref name="transformation"/> from its datum to CGCS2000.</summary>
    public HelmertShift(DatumTransformation transformation)
    {
        _datum = transformation.SourceDatum;
        var p = transformation.SevenParameters;
        (_dx, _dy, _dz) = (p[0], p[1], p[2]);
        (_rx, _ry, _rz) = (p[3] * ArcSecond, p[4] * ArcSecond, p[5] * ArcSecond);
        _m = 1 + (p[6] * 1e-6);
    }

    /// <summary>Old-datum longitude, latitude (degrees) → CGCS2000 longitude, latitude (degrees).</summary>
    public (double Lon, double Lat) ToCgcs2000(double lon, double lat)
    {
        var (x, y, z) = Geocentric(lon, lat, _datum);
        var xo = (_m * (x - (_rz * y) + (_ry * z))) + _dx;
        var yo = (_m * ((_rz * x) + y - (_rx * z))) + _dy;
        var zo = (_m * ((-_ry * x) + (_rx * y) + z)) + _dz;
        return Geodetic(xo, yo, zo, GeodeticDatum.Cgcs2000);
    }

    /// <summary>CGCS2000 longitude, latitude (degrees) → old-datum longitude, latitude: PROJ's inverse of the linearised form.</summary>
    public (double Lon, double Lat) FromCgcs2000(double lon, double lat)
    {
        var (x, y, z) = Geocentric(lon, lat, GeodeticDatum.Cgcs2000);
        var (xt, yt, zt) = ((x - _dx) / _m, (y - _dy) / _m, (z - _dz) / _m);
        return Geodetic(xt + (_rz * yt) - (_ry * zt), (-_rz * xt) + yt + (_rx * zt), (_ry * xt) - (_rx * yt) + zt, _datum);
    }

    private static (double X, double Y, double Z) Geocentric(double lonDegrees, double latDegrees, GeodeticDatum datum)
    {
        var (a, e2) = Ellipsoid(datum);
        var (lon, lat) = (lonDegrees * Math.PI / 180, latDegrees * Math.PI / 180);
        var n = a / Math.Sqrt(1 - (e2 * Math.Sin(lat) * Math.Sin(lat)));
        return (n * Math.Cos(lat) * Math.Cos(lon), n * Math.Cos(lat) * Math.Sin(lon), n * (1 - e2) * Math.Sin(lat));
    }

    private static (double Lon, double Lat) Geodetic(double x, double y, double z, GeodeticDatum datum)
    {
        var (a, e2) = Ellipsoid(datum);
        var p = Math.Sqrt((x * x) + (y * y));
        var lat = Math.Atan2(z, p * (1 - e2));
        for (var i = 0; i < 20; i++)
        {
            var n = a / Math.Sqrt(1 - (e2 * Math.Sin(lat) * Math.Sin(lat)));
            var h = (p / Math.Cos(lat)) - n;
            var next = Math.Atan2(z, p * (1 - (e2 * n / (n + h))));
            if (Math.Abs(next - lat) < 1e-14)
            {
                lat = next;
                break;
            }

            lat = next;
        }

        return (Math.Atan2(y, x) * 180 / Math.PI, lat * 180 / Math.PI);
    }

    private static (double A, double E2) Ellipsoid(GeodeticDatum datum)
    {
        var f = 1 / datum.InverseFlattening;
        return (datum.SemiMajorMetres, f * (2 - f));
    }
}
