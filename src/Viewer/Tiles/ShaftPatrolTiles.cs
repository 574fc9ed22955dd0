using GeoMine.Geo.Import;
using GeoMine.Patrol.Obligations;
using GeoMine.Viewer.Access;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// Tiles of the sealed shafts with their patrol status as of now: <c>patrol_status</c> (never_visited, ok, due_soon,
/// overdue) rated by <see cref="ShaftPatrolRating"/> — the overdue job's own rule, so the map and the alarms never
/// disagree — and <c>unassigned</c> (nobody is the shaft's responsible person now). Two queries per tile: the rating
/// of the shafts in the tile (<see cref="TileShaftRating"/>: stored by the overdue job where that still holds, else from
/// the latest visit and current responsible person, each an index-only probe), then the MVT of those shafts by id. Only the shafts of one tile are rated, so the cost grows with the tile, not the county.
/// </summary>
internal sealed class ShaftPatrolTiles(NpgsqlDataSource db, IOptions<PatrolObligationOptions> options, TimeProvider clock)
{
    // A point is in the tile iff its box is: && is exact here and skips ST_Intersects' per-row work.
    private const string RatingInputs = $"""
        SELECT s.id, s.code, {TileShaftRating.Columns}
        FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id
        {TileShaftRating.Join}
        WHERE s.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490)
          AND (@everything OR m.town_id = ANY(@scope_towns))
        """;

    /// <summary>From this zoom on, shaft tiles carry every export field; below it only code and the rating (a province
    /// at zoom 8 is 100 000 points: the browser decodes a third of the properties, and the details come from
    /// <c>/api/shafts/{code}</c> anyway).</summary>
    public const int DetailZoom = 12;

    // The shafts layer's export fields (LayerCatalog "shafts") plus the rating, for the ids found above: no second
    // spatial filter, no sort. Points need no clipping.
    private const string Tile = """
        SELECT ST_AsMVT(t.*, @layer, 4096, 'mvt_geom') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, false) AS mvt_geom,
                   s.code, m.code AS mine, s.name, s.seal_date AS sealed_on, s.seal_method AS seal_meth, s.status,
                   s.collar_elevation_m AS elev_m, r.patrol_status, r.unassigned
            FROM unnest(@ids::bigint[], @statuses::text[], @unassigned::boolean[]) AS r(id, patrol_status, unassigned)
            JOIN sealed_shaft s ON s.id = r.id JOIN closed_mine m ON m.id = s.mine_id) t
        """;

    private const string OverviewTile = """
        SELECT ST_AsMVT(t.*, @layer, 4096, 'mvt_geom') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, false) AS mvt_geom,
                   s.code, r.patrol_status, r.unassigned
            FROM unnest(@ids::bigint[], @statuses::text[], @unassigned::boolean[]) AS r(id, patrol_status, unassigned)
            JOIN sealed_shaft s ON s.id = r.id) t
        """;

    /// <summary>The MVT bytes of tile z/x/y (empty when no shaft is in it).</summary>
    public async Task<byte[]> TileAsync(LayerDefinition shafts, int z, int x, int y, TownScope scope, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var ids = new List<long>();
        var statuses = new List<string>();
        var unassigned = new List<bool>();
        var (connection, transaction) = await TileConnection.OpenAsync(db, ct);
        await using (connection)
        await using (transaction)
        {
            await using (var inputs = new NpgsqlCommand(RatingInputs, connection, transaction))
            {
                TileShaftRating.AddParameters(inputs, now, settings);
                inputs.Parameters.AddWithValue("everything", scope.IsEverything);
                scope.AddParameter(inputs);
                AddTile(inputs, z, x, y);
                await using var r = await inputs.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var (status, assigned) = TileShaftRating.Read(r, 2, r.GetString(1), now, settings);
                    ids.Add(r.GetInt64(0));
                    statuses.Add(PatrolStatusCode.Of(status));
                    unassigned.Add(!assigned);
                }
            }

            if (ids.Count == 0)
            {
                return [];
            }

            await using var tile = new NpgsqlCommand(z >= DetailZoom ? Tile : OverviewTile, connection, transaction);
            AddTile(tile, z, x, y);
            tile.Parameters.AddWithValue("layer", shafts.Name);
            tile.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids.ToArray() });
            tile.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = statuses.ToArray() });
            tile.Parameters.Add(new NpgsqlParameter("unassigned", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = unassigned.ToArray() });
            return await tile.ExecuteScalarAsync(ct) as byte[] ?? [];
        }
    }

    private static void AddTile(NpgsqlCommand command, int z, int x, int y)
    {
        command.Parameters.AddWithValue("z", z);
        command.Parameters.AddWithValue("x", x);
        command.Parameters.AddWithValue("y", y);
    }
}
