using Npgsql;

namespace GeoMine.Viewer.Tiles;

/// <summary>
/// A connection for tile queries, in a read-only transaction without JIT or parallel workers. PostGIS functions carry
/// high cost estimates, so a tile of 50 000 shafts crosses the JIT thresholds and spent half a second of its second
/// compiling (measured); and on a few cores shared with the browser, parallel workers only add start-up time.
/// <c>SET LOCAL</c> ends with the transaction, so pooled connections keep their defaults.
/// </summary>
internal static class TileConnection
{
    public static async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> OpenAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            await using var settings = new NpgsqlCommand("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0", connection, transaction);
            await settings.ExecuteNonQueryAsync(ct);
            return (connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
