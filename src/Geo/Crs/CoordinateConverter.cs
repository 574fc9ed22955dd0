using System.Collections.Concurrent;

namespace GeoMine.Geo.Crs;

/// <summary>
/// Converts x, y between two <see cref="SpatialReference"/>s: through CGCS2000 geographic, with
/// GCJ-02 corrected first (or applied last) and Gauss-Kruger systems projected with
/// <see cref="GaussKrugerProjection"/>. x = longitude or easting, y = latitude or northing (degrees
/// or metres), whatever the EPSG axis order; heights are not changed (all systems share the CGCS2000
/// ellipsoid and GeoMine keeps 1985 national heights). Thread-safe; projections are cached.
/// A Xi'an 1980 or Beijing 1954 source converts only with a <see cref="DatumTransformation"/>; without one the constructor
/// refuses with what to do (<see cref="FormatException"/>). Nothing converts into an old datum.
/// </summary>
public sealed class CoordinateConverter
{
    private static readonly ConcurrentDictionary<(GaussKrugerZone, bool), GaussKrugerProjection> Projections = new();
    private static readonly ConcurrentDictionary<(GaussKrugerZone, bool, string, string), GaussKrugerProjection> ShiftedProjections = new();

    private readonly GaussKrugerProjection? _fromProjection;
    private readonly GaussKrugerProjection? _toProjection;

    /// <summary>A converter from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public CoordinateConverter(SpatialReference from, SpatialReference to, DatumTransformation? shift = null)
    {
        From = from ?? throw new ArgumentNullException(nameof(from));
        To = to ?? throw new ArgumentNullException(nameof(to));
        if (to.Datum.IsLegacy)
        {
            throw new FormatException($"{to}: GeoMine converts from {to.Datum.Name}, never into it");
        }

        if (from.Datum.IsLegacy)
        {
            Shift = DatumTransformation.Choose(shift is null ? [] : [shift], shift?.Name, from.Datum, $"{from}");
            _fromProjection = from.Zone is { } zone ? Projection(zone, from.Prefixed, from.Datum, Shift)
                : throw new FormatException($"{from}: only old-datum Gauss-Kruger systems convert; give the projected system");
        }
        else
        {
            _fromProjection = ProjectionOf(from);
        }

        _toProjection = ProjectionOf(to);
    }

    /// <summary>The datum transformation applied, for an old-datum source.</summary>
    public DatumTransformation? Shift { get; }

    /// <summary>The source system.</summary>
    public SpatialReference From { get; }

    /// <summary>The target system.</summary>
    public SpatialReference To { get; }

    /// <summary>The (cached) projection of a Gauss-Kruger system.</summary>
    public static GaussKrugerProjection Projection(GaussKrugerZone zone, bool prefixed) =>
        Projections.GetOrAdd((zone, prefixed), key => new GaussKrugerProjection(key.Item1, key.Item2));

    /// <summary>The (cached) projection of an old-datum Gauss-Kruger system with its transformation to CGCS2000.</summary>
    public static GaussKrugerProjection Projection(GaussKrugerZone zone, bool prefixed, GeodeticDatum datum, DatumTransformation? shift) =>
        !datum.IsLegacy ? Projection(zone, prefixed)
            : ShiftedProjections.GetOrAdd((zone, prefixed, datum.Code, shift?.ProjTerm ?? ""), key => new GaussKrugerProjection(key.Item1, key.Item2, datum, shift));

    /// <summary>Converts one coordinate (x = lon/easting, y = lat/northing).</summary>
    public (double X, double Y) Convert(double x, double y)
    {
        var (lon, lat) = From.Kind switch
        {
            CrsKind.Gcj02 => Gcj02.ToWgs84(x, y),
            CrsKind.GaussKruger => _fromProjection!.Inverse(x, y),
            _ => (x, y),
        };
        return To.Kind switch
        {
            CrsKind.Gcj02 => Gcj02.FromWgs84(lon, lat),
            CrsKind.GaussKruger => _toProjection!.Forward(lon, lat),
            _ => (lon, lat),
        };
    }

    private static GaussKrugerProjection? ProjectionOf(SpatialReference srs) =>
        srs.Zone is { } zone ? Projection(zone, srs.Prefixed) : null;
}
