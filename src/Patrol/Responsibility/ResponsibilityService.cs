using GeoMine.Geo.Import;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Responsibility;

/// <summary>
/// Dated responsibility (包保 / 一对一) for sealed shafts, closed mines, tailings ponds and jurisdictions: assign, hand over, list.
/// A handover is one transaction that ends the current holder's period at T and starts the new one at T,
/// so the role is never vacant and never doubly held; the <c>assignment</c> table's exclusion
/// constraint refuses any overlap whatever the caller does.
/// </summary>
public sealed class ResponsibilityService(NpgsqlDataSource db)
{
    private const string Columns = """
        a.id, a.role, a.object_kind, a.object_id, a.person_id, p.name, p.phone, a.valid_from, a.valid_to
        """;

    // Town scoping: a shaft belongs to its mine's town; a jurisdiction is in scope when it is one of the towns.
    private static readonly string ObjectId = $"""
        WITH scope AS (SELECT id FROM jurisdiction WHERE level = 'town' AND code = ANY(@towns))
        SELECT CASE @kind {string.Concat(LayerCatalog.Objects.Select(l => $"""

            WHEN '{l.Object!.Kind}' THEN (SELECT o.id FROM {l.Object.Table} o WHERE o.{l.Object.KeyColumn} = @code
                                  AND (@towns::text[] IS NULL OR {l.Object.TownOf("o.id")} IN (SELECT id FROM scope)))
            """))} END
        """;

    private const string FindOrAddPerson = """
        WITH found AS (SELECT id FROM person WHERE name = @name AND phone IS NOT DISTINCT FROM @phone ORDER BY id LIMIT 1),
             added AS (INSERT INTO person (name, phone) SELECT @name, @phone WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
        SELECT id FROM found UNION ALL SELECT id FROM added
        """;

    private const string Insert = """
        INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from) VALUES (@person, @role, @kind, @object, @from)
        RETURNING id
        """;

    /// <summary>Makes <paramref name="person"/> holder of <paramref name="role"/> for <paramref name="target"/> from
    /// <paramref name="fromUtc"/> on, open-ended. Refused (<see cref="ResponsibilityConflictException"/>) when someone
    /// already holds the role at or after that time: use <see cref="HandoverAsync"/>.
    /// <paramref name="townCodes"/> (jurisdiction codes of level town; null = all towns) limits which objects can be found.</summary>
    /// <exception cref="UnknownObjectException">No such object (in those towns).</exception>
    public async Task<Assignment> AssignAsync(
        ResponsibleObject target, string role, ContactPerson person, DateTime fromUtc,
        IReadOnlyCollection<string>? townCodes = null, CancellationToken cancellationToken = default)
    {
        CheckRole(role);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var objectId = await ObjectIdAsync(connection, transaction, target, townCodes, cancellationToken);
        var id = await InsertAsync(connection, transaction, objectId, target, role, person, fromUtc, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ReadAsync(connection, "a.id = @id", [new("id", id)], cancellationToken)).Single();
    }

    /// <summary>交接: in one transaction, ends the current holder's period at <paramref name="atUtc"/> and starts
    /// <paramref name="successor"/>'s at the same instant. Returns (ended, started). <paramref name="townCodes"/>: as for
    /// <see cref="AssignAsync"/>.</summary>
    public async Task<(Assignment Ended, Assignment Started)> HandoverAsync(
        ResponsibleObject target, string role, ContactPerson successor, DateTime atUtc,
        IReadOnlyCollection<string>? townCodes = null, CancellationToken cancellationToken = default)
    {
        CheckRole(role);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var objectId = await ObjectIdAsync(connection, transaction, target, townCodes, cancellationToken);
        long currentId;
        await using (var current = new NpgsqlCommand("""
            SELECT id FROM assignment WHERE object_kind = @kind AND object_id = @object AND role = @role
              AND valid_from < @at AND (valid_to IS NULL OR valid_to > @at)
            FOR UPDATE
            """, connection, transaction))
        {
            current.Parameters.AddWithValue("kind", target.Kind);
            current.Parameters.AddWithValue("object", objectId);
            current.Parameters.AddWithValue("role", role);
            current.Parameters.AddWithValue("at", atUtc);
            currentId = await current.ExecuteScalarAsync(cancellationToken) as long?
                ?? throw new ResponsibilityConflictException(
                    $"nobody holds {role} of {target.Kind} {target.Code} at {atUtc:u} (and since before it): assign instead");
        }

        await using (var end = new NpgsqlCommand("UPDATE assignment SET valid_to = @at WHERE id = @id", connection, transaction))
        {
            end.Parameters.AddWithValue("at", atUtc);
            end.Parameters.AddWithValue("id", currentId);
            await end.ExecuteNonQueryAsync(cancellationToken);
        }

        var startedId = await InsertAsync(connection, transaction, objectId, target, role, successor, atUtc, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var rows = await ReadAsync(connection, "a.id = ANY(@ids)", [new("ids", new[] { currentId, startedId })], cancellationToken);
        return (rows.Single(r => r.Id == currentId), rows.Single(r => r.Id == startedId));
    }

    /// <summary>Who holds each role of <paramref name="target"/> at <paramref name="atUtc"/>. <paramref name="townCodes"/>: as for
    /// <see cref="AssignAsync"/>.</summary>
    public async Task<IReadOnlyList<Assignment>> CurrentAsync(
        ResponsibleObject target, DateTime atUtc, IReadOnlyCollection<string>? townCodes = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var objectId = await ObjectIdAsync(connection, null, target, townCodes, cancellationToken);
        return await ReadAsync(connection, "a.object_kind = @kind AND a.object_id = @object AND a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)",
            [new("kind", target.Kind), new("object", objectId), new("at", atUtc)], cancellationToken);
    }

    /// <summary>Every period of every role of <paramref name="target"/>, by role then start. <paramref name="townCodes"/>: as for
    /// <see cref="AssignAsync"/>.</summary>
    public async Task<IReadOnlyList<Assignment>> HistoryAsync(
        ResponsibleObject target, IReadOnlyCollection<string>? townCodes = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var objectId = await ObjectIdAsync(connection, null, target, townCodes, cancellationToken);
        return await ReadAsync(connection, "a.object_kind = @kind AND a.object_id = @object",
            [new("kind", target.Kind), new("object", objectId)], cancellationToken);
    }

    private static void CheckRole(string role)
    {
        if (!ResponsibilityRole.All.Contains(role))
        {
            throw new ArgumentException($"role '{role}' is not one of {string.Join(", ", ResponsibilityRole.All)}");
        }
    }

    private static async Task<long> ObjectIdAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ResponsibleObject target, IReadOnlyCollection<string>? townCodes,
        CancellationToken ct)
    {
        if (target.Kind is not ("sealed_shaft" or "closed_mine" or "tailings_pond" or "town"))
        {
            throw new ArgumentException($"object kind '{target.Kind}' is not sealed_shaft, closed_mine, tailings_pond or town");
        }

        await using var command = new NpgsqlCommand(ObjectId, connection, transaction);
        command.Parameters.AddWithValue("kind", target.Kind);
        command.Parameters.AddWithValue("code", target.Code);
        command.Parameters.Add(new NpgsqlParameter("towns", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)townCodes?.ToArray() ?? DBNull.Value });
        return await command.ExecuteScalarAsync(ct) as long? ?? throw new UnknownObjectException($"no {target.Kind} with code {target.Code}");
    }

    private static async Task<long> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long objectId, ResponsibleObject target, string role,
        ContactPerson person, DateTime fromUtc, CancellationToken ct)
    {
        long personId;
        await using (var find = new NpgsqlCommand(FindOrAddPerson, connection, transaction))
        {
            find.Parameters.AddWithValue("name", person.Name);
            find.Parameters.Add(new NpgsqlParameter("phone", NpgsqlDbType.Text) { Value = (object?)person.Phone ?? DBNull.Value });
            personId = (long)(await find.ExecuteScalarAsync(ct))!;
        }

        await using var insert = new NpgsqlCommand(Insert, connection, transaction);
        insert.Parameters.AddWithValue("person", personId);
        insert.Parameters.AddWithValue("role", role);
        insert.Parameters.AddWithValue("kind", target.Kind);
        insert.Parameters.AddWithValue("object", objectId);
        insert.Parameters.AddWithValue("from", fromUtc);
        try
        {
            return (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            throw new ResponsibilityConflictException(
                $"someone already holds {role} of {target.Kind} {target.Code} at or after {fromUtc:u}: hand over instead");
        }
    }

    /// <summary>Assignments (alias <c>a</c>, person <c>p</c>) matching <paramref name="where"/>, by role then start.</summary>
    internal static async Task<IReadOnlyList<Assignment>> ReadAsync(
        NpgsqlConnection connection, string where, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM assignment a JOIN person p ON p.id = a.person_id WHERE {where} ORDER BY a.role, a.valid_from", connection);
        command.Parameters.AddRange(parameters);
        await using var r = await command.ExecuteReaderAsync(ct);
        var list = new List<Assignment>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new Assignment(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4),
                new ContactPerson(r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)), r.GetDateTime(7), r.IsDBNull(8) ? null : r.GetDateTime(8)));
        }

        return list;
    }
}
