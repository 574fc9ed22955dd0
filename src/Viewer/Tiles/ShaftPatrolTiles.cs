using GeoMine.Geo.Import;
using GeoMine.Patrol.Obligations;
using GeoMine.Viewer.Coverage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// Tiles of the sealed shafts with their patrol status as of now: <c>patrol_status</c> (never_visited, ok, due_soon,
/// overdue) rated by <see cref="ShaftPatrolRating"/> — the overdue job's own rule, so the map and the alarms never
/// disagree — and <c>unassigned</c> (nobody is the shaft's responsible person now). Two queries per tile: the rating
/// inputs of the shafts in the tile (latest visit by index, current responsible person), then the MVT with the
/// ratings joined by code. Only the shafts of one tile are rated, so the cost grows with the tile, not the county.
/// </summary>
internal sealed class ShaftPatrolTiles(NpgsqlDataSource db, IOptions<PatrolObligationOptions> options, TimeProvider clock)
{
    // Both look-ups per shaft go through indexes (patrol_visit_shaft_idx, assignment_object_idx): a hash join
    // over the whole assignment table would cost the same for a tile of 10 shafts as for one of 10 000.
    private const string RatingInputs = """
        SELECT s.code,
               (SELECT v.arrived_at FROM patrol_visit v WHERE v.shaft_id = s.id AND v.arrived_at <= @now
                ORDER BY v.arrived_at DESC LIMIT 1),
               (SELECT r.valid_from FROM assignment r WHERE r.object_kind = 'sealed_shaft' AND r.object_id = s.id
                  AND r.role = 'responsible_person' AND r.valid_from <= @now AND (r.valid_to IS NULL OR r.valid_to > @now) LIMIT 1)
        FROM sealed_shaft s
        WHERE ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope(@z, @x, @y), 4490))
        """;

    private const string RatingColumns = ", r.patrol_status, r.unassigned";

    private const string RatingJoin = """
        JOIN unnest(@codes::text[], @statuses::text[], @unassigned::boolean[]) AS r(code, patrol_status, unassigned) ON r.code = e.code
        """;

    /// <summary>The MVT bytes of tile z/x/y (empty when no shaft is in it).</summary>
    public async Task<byte[]> TileAsync(LayerDefinition shafts, int z, int x, int y, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var codes = new List<string>();
        var statuses = new List<string>();
        var unassigned = new List<bool>();
        await using (var inputs = db.CreateCommand(RatingInputs))
        {
            inputs.Parameters.AddWithValue("now", now);
            AddTile(inputs, z, x, y);
            await using var r = await inputs.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var code = r.GetString(0);
                DateTime? responsibleFrom = r.IsDBNull(2) ? null : r.GetDateTime(2);
                var rating = ShaftPatrolRating.Of(code, r.IsDBNull(1) ? null : r.GetDateTime(1), responsibleFrom, now, settings);
                codes.Add(code);
                statuses.Add(CoverageJson.Status(rating.Status));
                unassigned.Add(responsibleFrom is null);
            }
        }

        if (codes.Count == 0)
        {
            return [];
        }

        await using var tile = db.CreateCommand(VectorTilesApi.TileSql(shafts, RatingColumns, RatingJoin));
        AddTile(tile, z, x, y);
        tile.Parameters.AddWithValue("layer", shafts.Name);
        tile.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = codes.ToArray() });
        tile.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = statuses.ToArray() });
        tile.Parameters.Add(new NpgsqlParameter("unassigned", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = unassigned.ToArray() });
        return await tile.ExecuteScalarAsync(ct) as byte[] ?? [];
    }

    private static void AddTile(NpgsqlCommand command, int z, int x, int y)
    {
        command.Parameters.AddWithValue("z", z);
        command.Parameters.AddWithValue("x", x);
        command.Parameters.AddWithValue("y", y);
    }
}
