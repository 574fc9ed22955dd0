namespace GeoMine.Viewer.Hosting.Database;

/// <summary>
/// Which PostgreSQL/PostGIS server GeoMine talks to. In order: an explicit connection string
/// (<c>--db</c>), the GEOMINE_DB environment variable, else the managed local cluster of the
/// checkout. With an explicit server GeoMine never starts, stops or creates anything but its schema.
/// </summary>
public sealed class DatabaseTarget
{
    /// <summary>Environment variable holding an Npgsql connection string of an existing server.</summary>
    public const string EnvironmentVariable = "GEOMINE_DB";

    private DatabaseTarget(string? connectionString, LocalPostgisCluster? managed)
    {
        ExplicitConnectionString = connectionString;
        Managed = managed;
    }

    /// <summary>The connection string given by the user, or null for the managed cluster.</summary>
    public string? ExplicitConnectionString { get; }

    /// <summary>The managed local cluster, or null when an external server is used.</summary>
    public LocalPostgisCluster? Managed { get; }

    /// <summary>Resolves the target from an optional <c>--db</c> value, the environment and the checkout.</summary>
    public static DatabaseTarget Resolve(string? dbOption)
    {
        var explicitConnection = !string.IsNullOrWhiteSpace(dbOption)
            ? dbOption
            : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitConnection))
        {
            return new DatabaseTarget(explicitConnection, null);
        }

        var port = int.TryParse(Environment.GetEnvironmentVariable("GEOMINE_PG_PORT"), out var p)
            ? p
            : LocalPostgisCluster.DefaultPort;
        return new DatabaseTarget(null, new LocalPostgisCluster(GeoMineHome.StateDirectory, port));
    }

    /// <summary>Makes sure the server is reachable (starting the managed cluster when needed) and
    /// returns the connection string plus a list of what was done.</summary>
    public async Task<(string ConnectionString, IReadOnlyList<string> Done)> EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (Managed is null)
        {
            return (ExplicitConnectionString!, []);
        }

        var done = await Managed.StartAsync(cancellationToken: cancellationToken);
        return (Managed.ConnectionString(), done);
    }

    /// <summary>Human-readable description without the password.</summary>
    public string Describe()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Managed?.ConnectionString() ?? ExplicitConnectionString);
        var where = $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
        return Managed is null ? $"external server {where}" : $"managed local cluster {where} (data in {Managed.DataDirectory})";
    }
}
