using Npgsql;

namespace GeoMine.Patrol.Storage;

/// <summary>A job's receive-time watermark in <c>job_watermark</c>, read under a row lock so two app
/// nodes never run the same window twice; saved in the same transaction as the job's results.</summary>
public static class JobWatermark
{
    /// <summary>Locks and returns the job's watermark (UTC); <see cref="DateTime.MinValue"/> before its first run.</summary>
    public static async Task<DateTime> LockAsync(string job, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO job_watermark (job, upto) VALUES (@job, '-infinity') ON CONFLICT (job) DO NOTHING;
            SELECT upto FROM job_watermark WHERE job = @job FOR UPDATE;
            """, connection, transaction);
        command.Parameters.AddWithValue("job", job);
        return await command.ExecuteScalarAsync(ct) is DateTime t ? t : DateTime.MinValue;
    }

    /// <summary>Moves the watermark to <paramref name="upto"/> (UTC).</summary>
    public static async Task SaveAsync(string job, DateTime upto, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("UPDATE job_watermark SET upto = @upto, updated_at = now() WHERE job = @job", connection, transaction);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("upto", upto);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The database clock (clock_timestamp, not the transaction start): receive times come from it,
    /// so a watermark must never pass it whatever "now" a caller simulates.</summary>
    public static async Task<DateTime> DatabaseNowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection, transaction);
        return (DateTime)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// How far receive times are complete: every row with a receive time before the answer is committed (or never will be).
    /// A position's receive time is its transaction's start (<c>DEFAULT now()</c>), so a GeoMine transaction still in
    /// progress (PostgreSQL's <c>pg_stat_activity.xact_start</c> of the sessions of this database with GeoMine's application
    /// name, idle in transaction included; not a backup's or a report's) may yet commit rows as old as its start: the answer stays before the oldest of them, and at most
    /// <paramref name="lag"/> before the database clock (a safety margin for a transaction whose start is not shown yet).
    /// Needs the sessions that write positions to be visible to this one (the same role, or <c>pg_read_all_stats</c>).
    /// </summary>
    public static async Task<DateTime> CompleteUptoAsync(TimeSpan lag, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT least(clock_timestamp() - @lag,
                         (SELECT min(xact_start) - interval '1 microsecond' FROM pg_stat_activity
                          WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
                            AND backend_type = 'client backend' AND application_name = @app))
            """, connection, transaction);
        command.Parameters.AddWithValue("lag", lag);
        command.Parameters.AddWithValue("app", new NpgsqlConnectionStringBuilder(connection.ConnectionString).ApplicationName ?? GeoMine.Geo.Storage.GeoDataSource.ApplicationName);
        return (DateTime)(await command.ExecuteScalarAsync(ct))!;
    }
}
