using GeoMine.Viewer.Storage;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>A throw-away database on the benchmark's server: created and migrated before the run, dropped after it.</summary>
internal static class BenchDatabase
{
    /// <summary>Runs <paramref name="body"/> with the connection string of a fresh, migrated database named after
    /// <paramref name="prefix"/> and this process; drops it afterwards, whatever happens.</summary>
    public static async Task RunAsync(string adminConnectionString, string prefix, int maxPoolSize, Func<string, Task> body, CancellationToken ct)
    {
        var database = $"{prefix}_{Environment.ProcessId}";
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {database}", ct);
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, MaxPoolSize = maxPoolSize }.ConnectionString;
        try
        {
            await MigrationRunner.ApplyAsync(connectionString, HostModule.AllMigrations, ct);
            await body(connectionString);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (Environment.GetEnvironmentVariable("GEOMINE_BENCH_KEEP") == "1")
            {
                Console.Error.WriteLine($"GEOMINE_BENCH_KEEP=1: database {database} kept for a closer look (drop it when done)");
            }
            else
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
        }
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
