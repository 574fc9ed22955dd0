using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Geo.Licences;

/// <summary>
/// Stores a <see cref="LicensedArea"/> as a <c>mining_right</c> row (upsert on licence_no, geometry a
/// MultiPolygon in EPSG:4490, upper_m / lower_m the widest band over its blocks), its blocks with their own bands
/// (<c>mining_right_block</c>, what 超层 is checked against) and an <c>import_log</c> row, in one transaction.
/// </summary>
public sealed class MiningRightWriter(string connectionString)
{
    private static readonly string Upsert = $"""
        INSERT INTO mining_right (licence_no, holder, mine_name, mineral, valid_from, valid_to, upper_m, lower_m, source_crs, town_id, geom)
        VALUES (@licence, @holder, @mine_name, @mineral, @valid_from, @valid_to, @upper_m, @lower_m, @source_crs,
                {LayerCatalog.TownAt("ST_PointOnSurface(@geom::geometry)")},
                @geom::geometry)
        ON CONFLICT (licence_no) DO UPDATE SET holder = EXCLUDED.holder, mine_name = EXCLUDED.mine_name,
            mineral = EXCLUDED.mineral, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
            upper_m = EXCLUDED.upper_m, lower_m = EXCLUDED.lower_m, source_crs = EXCLUDED.source_crs, town_id = EXCLUDED.town_id,
            geom = EXCLUDED.geom, updated_at = now()
        RETURNING (xmax = 0), id
        """;

    // The blocks with their own bands, replacing any stored (the boundary trigger has removed them when it changed).
    private const string DeleteBlocks = "DELETE FROM mining_right_block WHERE mining_right_id = @right";

    private const string InsertBlock = """
        INSERT INTO mining_right_block (mining_right_id, block_no, name, upper_m, lower_m, geom)
        VALUES (@right, @no, @name, @upper, @lower, ST_Multi(@geom::geometry))
        """;

    private const string InsertLog =
        "INSERT INTO import_log (layer, source, source_crs, encoding, feature_count) VALUES ('mining-rights', @source, @crs, NULL, 1)";

    /// <summary>Writes <paramref name="area"/>; returns true when a new row was inserted, false when one was updated.</summary>
    /// <param name="area">The parsed licence.</param>
    /// <param name="licenceNo">Licence number overriding the one in the text (<c>--licence</c>).</param>
    /// <param name="source">File the licence was read from (for the import log).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="LicenceException">Neither the text nor <paramref name="licenceNo"/> gives a licence number.</exception>
    public async Task<bool> WriteAsync(LicensedArea area, string? licenceNo, string source, CancellationToken cancellationToken = default)
    {
        var number = licenceNo ?? area.Particulars.LicenceNo
            ?? throw new LicenceException("no licence number: the text states none (采矿许可证号), give --licence NO",
                [new LicenceProblem(0, "no licence number (采矿许可证号) in the text; give --licence NO")]);
        await using var connection = await GeoDataSource.For(connectionString).OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        bool inserted;
        long right;
        await using (var upsert = new NpgsqlCommand(Upsert, connection, transaction))
        {
            upsert.Parameters.AddWithValue("licence", number);
            upsert.Parameters.Add(Text("holder", area.Particulars.Holder));
            upsert.Parameters.Add(Text("mine_name", area.Particulars.MineName));
            upsert.Parameters.Add(Text("mineral", area.Particulars.Mineral));
            upsert.Parameters.Add(new NpgsqlParameter("valid_from", NpgsqlDbType.Date) { Value = (object?)area.Particulars.ValidFrom ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter("valid_to", NpgsqlDbType.Date) { Value = (object?)area.Particulars.ValidTo ?? DBNull.Value });
            upsert.Parameters.AddWithValue("upper_m", area.UpperMetres);
            upsert.Parameters.AddWithValue("lower_m", area.LowerMetres);
            upsert.Parameters.AddWithValue("source_crs", area.SourceDescription);
            upsert.Parameters.Add(GeometryWkb.Parameter("geom", area.ToMultiPolygon()));
            await using var r = await upsert.ExecuteReaderAsync(cancellationToken);
            await r.ReadAsync(cancellationToken);
            (inserted, right) = (r.GetBoolean(0), r.GetInt64(1));
        }

        await using (var delete = new NpgsqlCommand(DeleteBlocks, connection, transaction))
        {
            delete.Parameters.AddWithValue("right", right);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var i = 0; i < area.Blocks.Count; i++)
        {
            var block = area.Blocks[i];
            await using var insert = new NpgsqlCommand(InsertBlock, connection, transaction);
            insert.Parameters.AddWithValue("right", right);
            insert.Parameters.AddWithValue("no", i + 1);
            insert.Parameters.AddWithValue("name", block.Name);
            insert.Parameters.AddWithValue("upper", block.UpperMetres);
            insert.Parameters.AddWithValue("lower", block.LowerMetres);
            var geometry = block.Geometry.Copy();
            geometry.SRID = Srid.Cgcs2000;
            insert.Parameters.Add(GeometryWkb.Parameter("geom", geometry));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var log = new NpgsqlCommand(InsertLog, connection, transaction))
        {
            log.Parameters.AddWithValue("source", source);
            log.Parameters.AddWithValue("crs", area.SourceDescription);
            await log.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
