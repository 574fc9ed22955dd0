using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using GeoMine.Geo.Storage;

namespace GeoMine.Patrol.Positions;

/// <summary>
/// Rows of <c>position</c> encoded in PostgreSQL's binary COPY format, for <see cref="Columns"/>, in one pooled
/// buffer sent with a raw binary COPY. Encoding the fields here costs a few byte writes each; Npgsql's typed
/// importer resolves and binds a parameter for every value, which on the ingest path cost more CPU than PostgreSQL
/// spent storing the row.
/// </summary>
/// <remarks>Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format). Big-endian integers and
/// doubles; <c>timestamptz</c> as microseconds since 2000-01-01 UTC; <c>geometry</c> as EWKB (its binary input).</remarks>
public sealed class PositionCopyRows : IDisposable
{
    /// <summary>The columns, in the order each row is written.</summary>
    public const string Columns = "device_id, fix_time, geom, altitude_m, accuracy_m, speed_mps, bearing_deg, battery_pct, source";

    private const short FieldCount = 9;

    /// <summary>Upper bound of one row without its source text: field count, 9 lengths, 2 × 8 + EWKB 25 + 5 × 8 bytes.</summary>
    private const int FixedRowBytes = 2 + 9 * 4 + 16 + 25 + 40;

    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private byte[] _buffer;
    private int _length;

    /// <summary>Starts an empty set of rows with room for about <paramref name="expectedRows"/>.</summary>
    public PositionCopyRows(int expectedRows)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Header.Length + 2 + Math.Max(1, expectedRows) * (FixedRowBytes + 16));
        Header.CopyTo(_buffer, 0);
        _length = Header.Length;
    }

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one row. <paramref name="longitude"/>/<paramref name="latitude"/> in degrees, stored as a point in
    /// EPSG:4490; <paramref name="fixTimeUtc"/> is taken as UTC whatever its <see cref="DateTime.Kind"/>.</summary>
    public void Add(long deviceId, DateTime fixTimeUtc, double longitude, double latitude, double? altitudeMetres, double? accuracyMetres,
        double? speedMetresPerSecond, double? bearingDegrees, double? batteryPercent, string source)
    {
        var sourceBytes = Encoding.UTF8.GetMaxByteCount(source.Length);
        Reserve(FixedRowBytes + sourceBytes);
        var span = _buffer.AsSpan(_length);
        BinaryPrimitives.WriteInt16BigEndian(span, FieldCount);
        var at = 2;
        at = WriteInt64(span, at, deviceId);
        at = WriteInt64(span, at, (fixTimeUtc.Ticks - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond);

        BinaryPrimitives.WriteInt32BigEndian(span[at..], GeometryWkb.PointEwkbLength);
        GeometryWkb.WritePointEwkb(span[(at + 4)..], longitude, latitude);
        at += 4 + GeometryWkb.PointEwkbLength;

        at = WriteDouble(span, at, altitudeMetres);
        at = WriteDouble(span, at, accuracyMetres);
        at = WriteDouble(span, at, speedMetresPerSecond);
        at = WriteDouble(span, at, bearingDegrees);
        at = WriteDouble(span, at, batteryPercent);

        var written = Encoding.UTF8.GetBytes(source, span[(at + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(span[at..], written);
        _length += at + 4 + written;
        Count++;
    }

    /// <summary>The whole COPY stream: header, rows, trailer. Add nothing afterwards.</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        Reserve(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), -1);
        return _buffer.AsMemory(0, _length + 2);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private static int WriteInt64(Span<byte> span, int at, long value)
    {
        BinaryPrimitives.WriteInt32BigEndian(span[at..], 8);
        BinaryPrimitives.WriteInt64BigEndian(span[(at + 4)..], value);
        return at + 12;
    }

    private static int WriteDouble(Span<byte> span, int at, double? value)
    {
        if (value is not { } v)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[at..], -1); // NULL
            return at + 4;
        }

        BinaryPrimitives.WriteInt32BigEndian(span[at..], 8);
        BinaryPrimitives.WriteDoubleBigEndian(span[(at + 4)..], v);
        return at + 12;
    }
}
