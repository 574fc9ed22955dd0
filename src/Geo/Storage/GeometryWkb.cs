using System.Buffers.Binary;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Geo.Storage;

/// <summary>
/// Geometry parameters and columns: mapped by Npgsql.NetTopologySuite (data sources from <see cref="GeoDataSource"/>),
/// so a parameter is a <see cref="Geometry"/> and a geometry column reads as one. EWKB bytes remain for binary COPY:
/// <see cref="WritePointEwkb"/> writes a position's point straight into the COPY buffer without building a geometry
/// (the ingest path writes millions; in the same run of <c>bench ingest</c> Npgsql's binary importer with typed writes is
/// 7–17 % slower than this encoder, docs/performance.md), and
/// <see cref="ToEwkb"/> serves the benchmarks' bulk loads.
/// </summary>
public static class GeometryWkb
{
    private static readonly NtsGeometryServices Services = new(
        new PrecisionModel(PrecisionModels.Floating), Srid.Cgcs2000);

    /// <summary>Geometry factory for EPSG:4490 (lon, lat degrees), floating precision.</summary>
    public static GeometryFactory Factory { get; } = Services.CreateGeometryFactory(Srid.Cgcs2000);

    /// <summary>EWKB bytes (little endian, SRID and Z kept) of <paramref name="geometry"/>.</summary>
    public static byte[] ToEwkb(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var ordinates = HasZ(geometry) ? Ordinates.XYZ : Ordinates.XY;
        var writer = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: ordinates.HasFlag(Ordinates.Z));
        return writer.Write(geometry);
    }

    /// <summary>EWKB of a 2D point in EPSG:4490 (lon, lat degrees), written without building a geometry:
    /// the position hot path writes millions of these. Same bytes as <see cref="ToEwkb"/> of that point.</summary>
    public static byte[] PointEwkb(double longitude, double latitude)
    {
        var bytes = new byte[PointEwkbLength];
        WritePointEwkb(bytes, longitude, latitude);
        return bytes;
    }

    /// <summary>Length of <see cref="PointEwkb"/>'s bytes.</summary>
    public const int PointEwkbLength = 25;

    /// <summary><see cref="PointEwkb"/> written into the first <see cref="PointEwkbLength"/> bytes of <paramref name="destination"/>.</summary>
    public static void WritePointEwkb(Span<byte> destination, double longitude, double latitude)
    {
        destination[0] = 1; // little endian
        BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], 0x2000_0001u); // Point, SRID present
        BinaryPrimitives.WriteInt32LittleEndian(destination[5..], Srid.Cgcs2000);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[9..], longitude);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[17..], latitude);
    }

    /// <summary>A geometry parameter (null → DB NULL), for a connection of a <see cref="GeoDataSource"/>; the geometry's SRID
    /// goes with it (set it).</summary>
    public static NpgsqlParameter Parameter(string name, Geometry? geometry) =>
        new(name, NpgsqlDbType.Geometry) { Value = (object?)geometry ?? DBNull.Value };

    /// <summary>Reads a geometry column (from a <see cref="GeoDataSource"/> connection); null for SQL NULL.</summary>
    public static Geometry? Read(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<Geometry>(ordinal);

    private static bool HasZ(Geometry geometry)
    {
        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsNaN(c.Z))
            {
                return true;
            }
        }

        return false;
    }
}
