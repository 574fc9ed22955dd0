using Npgsql;

namespace GeoMine.Geo.Storage;

/// <summary>
/// Applies embedded numbered migrations in order, each in its own transaction, and records them in
/// <c>geomine_migration</c>. An advisory lock makes concurrent starts (several app nodes) safe.
/// </summary>
public static class MigrationRunner
{
    private const long LockKey = 0x6765_6F6D_696E_65; // "geomine"

    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS geomine_migration (
            module     text        NOT NULL,
            version    integer     NOT NULL,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (module, version))
        """;

    private const string SelectApplied = "SELECT version FROM geomine_migration WHERE module = @module";
    private const string InsertApplied = "INSERT INTO geomine_migration (module, version, name) VALUES (@module, @version, @name)";

    /// <summary>Applies what is missing of <paramref name="sets"/>, in the order given; returns the
    /// names applied now (empty when the schema was current).</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(
        string connectionString, IEnumerable<MigrationSet> sets, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using (var create = new NpgsqlCommand(CreateTable, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var applied = new List<string>();
            foreach (var set in sets)
            {
                var done = new HashSet<int>();
                await using (var select = new NpgsqlCommand(SelectApplied, connection))
                {
                    select.Parameters.AddWithValue("module", set.Module);
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        done.Add(reader.GetInt32(0));
                    }
                }

                foreach (var script in set.Scripts().Where(s => !done.Contains(s.Version)))
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    try
                    {
                        await using (var run = new NpgsqlCommand(script.Sql, connection, transaction))
                        {
                            await run.ExecuteNonQueryAsync(cancellationToken);
                        }

                        await using (var record = new NpgsqlCommand(InsertApplied, connection, transaction))
                        {
                            record.Parameters.AddWithValue("module", set.Module);
                            record.Parameters.AddWithValue("version", script.Version);
                            record.Parameters.AddWithValue("name", script.Name);
                            await record.ExecuteNonQueryAsync(cancellationToken);
                        }

                        await transaction.CommitAsync(cancellationToken);
                    }
                    catch (PostgresException e)
                    {
                        throw new InvalidOperationException($"migration {set.Module}/{script.Name} failed: {e.MessageText}", e);
                    }

                    applied.Add($"{set.Module}/{script.Name}");
                }
            }

            return applied;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
