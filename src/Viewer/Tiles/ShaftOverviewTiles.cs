using System.Buffers.Binary;
using GeoMine.Patrol.Obligations;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// The sealed shafts of one Web Mercator tile as points for the map's overview (zoom below
/// <see cref="MaxZoom"/> + 1), in a compact binary the page draws without building a feature per shaft:
/// <code>
/// uint32 n                      little-endian throughout
/// n × uint32 shaft id           (sealed_shaft.id)
/// n × (uint16 x, uint16 y)      position in the tile, 0–65535 from its west and north edges (EPSG:3857)
/// n × uint8 style               bits 0–1 patrol status (0 ok, 1 due_soon, 2 overdue, 3 never_visited), bit 2 unassigned
/// </code>
/// A shaft is in exactly one tile (west and north edges inclusive, east and south exclusive), so the tiles of a view
/// hold each shaft once. The patrol status is <see cref="TileShaftRating"/>'s, as on the vector tiles. Points are
/// ordered so that overdue shafts come last (drawn on top). A tile is kept for <see cref="CacheTime"/> per
/// town scope: a province is 100 000 ratings (1.3 s of the server), the rating moves by the minute, and zoomed in
/// (vector tiles) it is always fresh.
/// </summary>
internal sealed class ShaftOverviewTiles(NpgsqlDataSource db, IOptions<PatrolObligationOptions> options, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>The highest zoom served; the page draws vector tiles from the next zoom on.</summary>
    public const int MaxZoom = 9;

    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(60);

    private const double HalfWorldMetres = 20037508.342789244;

    // Each shaft's rating (TileShaftRating) and its Web Mercator position; a margin catches points on the tile's edges (the
    // half-open test below keeps each in one tile).
    private const string Points = $"""
        SELECT s.id, s.code, {TileShaftRating.Columns}, ST_X(p.geom), ST_Y(p.geom)
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id
        {TileShaftRating.Join},
        LATERAL (SELECT ST_Transform(s.geom, 3857) AS geom) p
        WHERE s.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => 0.001), 4490)
          AND (@everything OR m.town_id = ANY(@scope_towns))
        """;

    /// <summary>The tile's bytes (empty when no shaft of the scope is in it), from the cache when rated in the last minute.</summary>
    public Task<byte[]> TileAsync(int z, int x, int y, TownScope scope, CancellationToken ct)
    {
        var key = (nameof(ShaftOverviewTiles), z, x, y, scope.IsEverything ? "*" : string.Join(',', scope.TownIds.Order()));
        // The task is cached, so concurrent requests for one tile rate it once; a failed one is not kept.
        var task = cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheTime;
            var build = BuildAsync(z, x, y, scope, CancellationToken.None);
            build.ContinueWith(_ => cache.Remove(key), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
            return build;
        })!;
        return task.WaitAsync(ct);
    }

    private async Task<byte[]> BuildAsync(int z, int x, int y, TownScope scope, CancellationToken ct)
    {
        await Task.Yield();
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var size = 2 * HalfWorldMetres / (1L << z);
        var (west, north) = (-HalfWorldMetres + x * size, HalfWorldMetres - y * size);
        var (east, south) = (-HalfWorldMetres + (x + 1) * size, HalfWorldMetres - (y + 1) * size);
        var points = new List<(long Id, ushort X, ushort Y, byte Style)>();
        var (connection, transaction) = await TileConnection.OpenAsync(db, ct);
        await using (connection)
        await using (transaction)
        {
            await using var command = new NpgsqlCommand(Points, connection, transaction);
            TileShaftRating.AddParameters(command, now, settings);
            command.Parameters.AddWithValue("everything", scope.IsEverything);
            scope.AddParameter(command);
            command.Parameters.AddWithValue("z", z);
            command.Parameters.AddWithValue("x", x);
            command.Parameters.AddWithValue("y", y);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var (mx, my) = (r.GetDouble(2 + TileShaftRating.ColumnCount), r.GetDouble(3 + TileShaftRating.ColumnCount));
                if (mx < west || mx >= east || my > north || my <= south)
                {
                    continue; // in the neighbour's tile
                }

                var (status, assigned) = TileShaftRating.Read(r, 2, r.GetString(1), now, settings);
                var style = (byte)(StatusCode(status) | (assigned ? 0 : 4));
                points.Add((r.GetInt64(0), Quantize((mx - west) / size), Quantize((north - my) / size), style));
            }
        }

        return Encode(points.OrderBy(p => DrawOrder(p.Style & 3)).ToList());
    }

    private static byte[] Encode(List<(long Id, ushort X, ushort Y, byte Style)> points)
    {
        if (points.Count == 0)
        {
            return [];
        }

        var n = points.Count;
        var bytes = new byte[4 + n * 9];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)n);
        for (var i = 0; i < n; i++)
        {
            var (id, x, y, style) = points[i];
            BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + i * 4)..], checked((uint)id));
            BinaryPrimitives.WriteUInt16LittleEndian(span[(4 + n * 4 + i * 4)..], x);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(4 + n * 4 + i * 4 + 2)..], y);
            bytes[4 + n * 8 + i] = style;
        }

        return bytes;
    }

    private static ushort Quantize(double fraction) => (ushort)Math.Clamp((int)Math.Floor(fraction * 65536), 0, 65535);

    private static int StatusCode(PatrolStatus status) => status switch
    {
        PatrolStatus.Ok => 0,
        PatrolStatus.DueSoon => 1,
        PatrolStatus.Overdue => 2,
        _ => 3,
    };

    // ok, due soon, never visited, overdue: the worst on top.
    private static int DrawOrder(int status) => status switch { 0 => 0, 1 => 1, 3 => 2, _ => 3 };
}
