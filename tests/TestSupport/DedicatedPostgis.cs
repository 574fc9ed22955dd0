using GeoMine.Viewer.Storage;
using GeoMine.Viewer.Hosting.Database;
using GeoMine.Geo.Storage;
using GeoMine.Patrol;
using Xunit;

namespace GeoMine.TestSupport;

/// <summary>
/// A PostgreSQL + PostGIS cluster of its own, for tests that stop and start the server (fault
/// tests): created in a temporary state folder on a free port, migrated, deleted afterwards.
/// </summary>
public sealed class DedicatedPostgis : IAsyncLifetime
{
    private readonly string _state = TestPaths.NewOutputDirectory("pg");

    public LocalPostgisCluster Cluster { get; private set; } = null!;

    public string ConnectionString => Cluster.ConnectionString();

    public async Task InitializeAsync()
    {
        Cluster = new LocalPostgisCluster(_state, FreePort.Next());
        await Cluster.StartAsync();
        await MigrationRunner.ApplyAsync(ConnectionString, HostModule.AllMigrations);
    }

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await Cluster.ResetAsync();
        Directory.Delete(_state, recursive: true);
    }
}
