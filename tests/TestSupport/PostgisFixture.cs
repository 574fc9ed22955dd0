using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using Npgsql;
using Xunit;

namespace GeoMine.TestSupport;

/// <summary>
/// A throw-away database on a real PostGIS server, migrated to the current schema, dropped after the
/// test class. The server is GEOMINE_TEST_DB (a connection string whose user may create databases)
/// when set, else the checkout's managed local cluster, started when needed. Never a mock.
/// </summary>
public sealed class PostgisFixture : IAsyncLifetime
{
    private string _adminConnectionString = string.Empty;

    /// <summary>Name of the throw-away database.</summary>
    public string DatabaseName { get; } = $"geomine_t_{Guid.NewGuid():N}"[..24];

    /// <summary>Connection string of the throw-away database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Opens a connection to the throw-away database (geometry mapped to NetTopologySuite, as GeoMine's own).</summary>
    public async Task<NpgsqlConnection> OpenAsync() => await GeoMine.Geo.Storage.GeoDataSource.For(ConnectionString).OpenConnectionAsync();

    /// <summary>Runs a scalar query.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement; returns the rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _adminConnectionString = await AdminConnectionStringAsync();
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = DatabaseName }.ConnectionString;
        await MigrationRunner.ApplyAsync(ConnectionString, HostModule.AllMigrations);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static readonly SemaphoreSlim StartLock = new(1, 1);

    private static async Task<string> AdminConnectionStringAsync()
    {
        var configured = Environment.GetEnvironmentVariable("GEOMINE_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new NpgsqlConnectionStringBuilder(configured) { Database = "postgres" }.ConnectionString;
        }

        var cluster = DatabaseTarget.Resolve(null).Managed!;
        await StartLock.WaitAsync();
        try
        {
            await cluster.StartAsync();
        }
        finally
        {
            StartLock.Release();
        }

        return cluster.ConnectionString("postgres");
    }
}
