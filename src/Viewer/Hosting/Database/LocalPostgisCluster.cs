using GeoMine.Geo.Storage;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace GeoMine.Viewer.Hosting.Database;

/// <summary>
/// The embedded default store: a PostgreSQL + PostGIS cluster created from the Debian binaries in a
/// git-ignored folder of the checkout (<c>.geomine/pg</c>), bound to 127.0.0.1 on its own port, with a
/// generated password for the superuser <c>geomine</c>. When GeoMine runs as root the cluster is
/// owned by the <c>postgres</c> system user (initdb refuses root) and every binary runs through
/// <c>runuser</c>. Never used when a connection string points GeoMine at a server of its own.
/// </summary>
public sealed class LocalPostgisCluster
{
    /// <summary>Default TCP port of the managed cluster (override with GEOMINE_PG_PORT).</summary>
    public const int DefaultPort = 55432;

    private const string SuperUser = "geomine";
    private readonly string _stateDirectory;

    /// <summary>Creates a handle on the cluster kept under <paramref name="stateDirectory"/>.</summary>
    public LocalPostgisCluster(string stateDirectory, int port = DefaultPort)
    {
        _stateDirectory = Path.GetFullPath(stateDirectory);
        Port = port;
        var relocated = Path.Combine(_stateDirectory, "pg.location");
        DataDirectory = File.Exists(relocated) ? File.ReadAllText(relocated).Trim() : Path.Combine(_stateDirectory, "pg");
    }

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The cluster's data folder (also holds its log, <c>server.log</c>, and its socket).</summary>
    public string DataDirectory { get; private set; }

    private string PasswordFile => Path.Combine(_stateDirectory, "pg.password");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>True when the data folder holds an initialised cluster.</summary>
    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>Connection string for <paramref name="database"/> as the cluster's superuser.</summary>
    public string ConnectionString(string database = "geomine") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Password = File.Exists(PasswordFile) ? File.ReadAllText(PasswordFile).Trim() : null,
            Database = database,
        }.ConnectionString;

    /// <summary>True when the server of this data folder is running.</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        if (!IsInitialized)
        {
            return false;
        }

        var result = await RunPgAsync("pg_ctl", ["-D", DataDirectory, "status"], cancellationToken);
        return result.ExitCode == 0;
    }

    /// <summary>Creates the cluster when missing, starts it when stopped, and makes sure database
    /// <paramref name="database"/> exists with PostGIS. Returns what it did, for the user.</summary>
    public async Task<IReadOnlyList<string>> StartAsync(string database = "geomine", CancellationToken cancellationToken = default)
    {
        var done = new List<string>();
        if (!IsInitialized)
        {
            await InitializeAsync(cancellationToken);
            done.Add($"created PostgreSQL cluster in {DataDirectory}");
        }

        if (!await IsRunningAsync(cancellationToken))
        {
            var logFile = Path.Combine(DataDirectory, "server.log");
            var result = await RunPgAsync(
                "pg_ctl", ["-D", DataDirectory, "-l", logFile, "-w", "-t", "60", "start"], cancellationToken);
            if (!result.Succeeded)
            {
                var tail = File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(10)) : "";
                throw new InvalidOperationException(
                    $"PostgreSQL did not start on 127.0.0.1:{Port}: {result.StandardError.Trim()} {result.StandardOutput.Trim()}\n{tail}");
            }

            done.Add($"started PostgreSQL on 127.0.0.1:{Port}");
        }

        if (await EnsureDatabaseAsync(database, cancellationToken))
        {
            done.Add($"created database {database} with PostGIS");
        }

        return done;
    }

    /// <summary>Stops the server (fast shutdown: open transactions roll back, committed data is kept).</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsRunningAsync(cancellationToken))
        {
            return false;
        }

        var result = await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {result.StandardError.Trim()}");
        }

        return true;
    }

    /// <summary>Stops the server and deletes the cluster with all its data.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        if (File.Exists(PasswordFile))
        {
            File.Delete(PasswordFile);
        }
    }

    /// <summary>Creates <paramref name="database"/> with PostGIS when missing; true when created.</summary>
    public async Task<bool> EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        // One-off connections, not pooled: a pooled one may be a dead socket from before a restart.
        await using var admin = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await admin.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin))
        {
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        // Identifiers cannot be parameters; quote_ident-equivalent quoting keeps any name safe.
        var quoted = "\"" + database.Replace("\"", "\"\"") + "\"";
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", admin))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var db = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await db.OpenAsync(cancellationToken);
        await using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", db);
        await extension.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_stateDirectory);
        if (IsRoot && !await PostgresCanReachAsync(_stateDirectory, cancellationToken))
        {
            // The checkout sits below a folder the postgres user cannot enter (e.g. a 0700 temp
            // folder): keep the cluster in postgres's own home instead, one per checkout.
            var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_stateDirectory)))[..12].ToLowerInvariant();
            DataDirectory = Path.Combine("/var/lib/postgresql/geomine", key);
            File.WriteAllText(Path.Combine(_stateDirectory, "pg.location"), DataDirectory);
            if (IsInitialized)
            {
                return;
            }
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        await CreateOwnedDirectoryAsync(DataDirectory, cancellationToken);
        var pwFile = Path.Combine(DataDirectory, "..", $".pwfile-{Guid.NewGuid():N}");
        pwFile = Path.GetFullPath(pwFile);
        await File.WriteAllTextAsync(pwFile, password + "\n", cancellationToken);
        try
        {
            if (IsRoot)
            {
                await ExternalCommand.RunCheckedAsync("chown", ["postgres:postgres", pwFile], cancellationToken);
            }

            var result = await RunPgAsync("initdb",
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", pwFile, "--auth-host=scram-sha-256",
                 "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"], cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"initdb failed: {result.StandardError.Trim()}");
            }
        }
        finally
        {
            File.Delete(pwFile);
        }

        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var settings = $"""

            # --- GeoMine managed cluster ---
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{DataDirectory}'
            max_connections = 200
            shared_buffers = 256MB
            """;
        // As root this file belongs to postgres; root may still append to it.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), settings + "\n", cancellationToken);
    }

    private static async Task CreateOwnedDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (IsRoot)
        {
            await ExternalCommand.RunCheckedAsync(
                "install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "700", directory], cancellationToken);
        }
        else if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task<bool> PostgresCanReachAsync(string directory, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync("runuser", ["-u", "postgres", "--", "test", "-x", directory], cancellationToken);
        return result.Succeeded;
    }

    private static Task<ExternalCommand.Result> RunPgAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var binary = Path.Combine(PostgresBinDirectory(), tool);
        return IsRoot
            ? ExternalCommand.RunAsync("runuser", ["-u", "postgres", "--", binary, .. arguments], cancellationToken)
            : ExternalCommand.RunAsync(binary, arguments, cancellationToken);
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c>, or GEOMINE_PG_BIN.</summary>
    public static string PostgresBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("GEOMINE_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            "PostgreSQL binaries not found under /usr/lib/postgresql (install postgresql-15 and postgresql-15-postgis-3, " +
            "or point GeoMine at a server with --db / GEOMINE_DB)");
    }
}
