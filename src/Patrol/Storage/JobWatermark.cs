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
}
