using Npgsql;

namespace GeoMine.Patrol.Notifications;

/// <summary>
/// The duty roster (值班表): shifts of a town's or the county's duty officer, from one instant to another. The database
/// refuses two shifts of one jurisdiction that overlap. Notifications with the recipient role <c>duty_officer</c> reach the
/// officer on duty for the alarm's town when the notice is sent, else the officer of the jurisdiction above it.
/// </summary>
public sealed class DutyRoster(NpgsqlDataSource db)
{
    /// <summary>SQL (lateral) for the officer on duty at <c>@now</c> for the town <paramref name="townId"/>, or for the
    /// jurisdiction above it (up to two levels): columns <c>name</c>, <c>phone</c>.</summary>
    public static string OnDuty(string townId) => $"""
        SELECT pe.name, pe.phone FROM duty_shift d JOIN person pe ON pe.id = d.person_id
        WHERE d.starts_at <= @now AND d.ends_at > @now
          AND d.jurisdiction_id IN ({townId}, (SELECT parent_id FROM jurisdiction WHERE id = {townId}),
                                    (SELECT p.parent_id FROM jurisdiction j JOIN jurisdiction p ON p.id = j.parent_id WHERE j.id = {townId}))
        ORDER BY d.jurisdiction_id = {townId} DESC, d.jurisdiction_id = (SELECT parent_id FROM jurisdiction WHERE id = {townId}) DESC
        LIMIT 1
        """;

    /// <summary>Adds a shift; returns its id.</summary>
    /// <exception cref="DutyRosterException">Unknown jurisdiction, an end not after the start, or an overlapping shift.</exception>
    public async Task<long> AddAsync(string jurisdiction, string name, string? phone, DateTime fromUtc, DateTime toUtc, CancellationToken ct = default)
    {
        if (toUtc <= fromUtc)
        {
            throw new DutyRosterException("the shift must end after it starts");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            WITH j AS (SELECT id FROM jurisdiction WHERE code = @j OR name = @j ORDER BY code = @j DESC LIMIT 1),
                 known AS (SELECT id FROM person WHERE name = @name AND phone IS NOT DISTINCT FROM @phone ORDER BY id LIMIT 1),
                 added AS (INSERT INTO person (name, phone) SELECT @name, @phone WHERE NOT EXISTS (SELECT 1 FROM known) RETURNING id)
            INSERT INTO duty_shift (jurisdiction_id, person_id, starts_at, ends_at)
            SELECT j.id, coalesce((SELECT id FROM known), (SELECT id FROM added)), @from, @to FROM j
            RETURNING id
            """, connection, transaction);
        command.Parameters.AddWithValue("j", jurisdiction);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.Add(new NpgsqlParameter("phone", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)phone ?? DBNull.Value });
        command.Parameters.AddWithValue("from", fromUtc);
        command.Parameters.AddWithValue("to", toUtc);
        try
        {
            if (await command.ExecuteScalarAsync(ct) is not long id)
            {
                throw new DutyRosterException($"no town or county with code or name '{jurisdiction}'");
            }

            await transaction.CommitAsync(ct);
            return id;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            throw new DutyRosterException($"{jurisdiction} already has an officer on duty for part of that time");
        }
    }

    /// <summary>Shifts overlapping [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), by start.</summary>
    public async Task<IReadOnlyList<DutyShift>> ListAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand("""
            SELECT j.code, j.name, pe.name, pe.phone, d.starts_at, d.ends_at, j.level FROM duty_shift d
            JOIN jurisdiction j ON j.id = d.jurisdiction_id JOIN person pe ON pe.id = d.person_id
            WHERE d.ends_at > $1 AND d.starts_at < $2 ORDER BY d.starts_at, j.code
            """);
        command.Parameters.Add(new() { Value = fromUtc });
        command.Parameters.Add(new() { Value = toUtc });
        var shifts = new List<DutyShift>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            shifts.Add(new DutyShift(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                DateTime.SpecifyKind(r.GetDateTime(4), DateTimeKind.Utc), DateTime.SpecifyKind(r.GetDateTime(5), DateTimeKind.Utc), r.GetString(6)));
        }

        return shifts;
    }
}

/// <summary>A shift of the roster; <paramref name="Level"/> is the jurisdiction's (town, county…).</summary>
public sealed record DutyShift(string JurisdictionCode, string JurisdictionName, string Name, string? Phone, DateTime StartsAtUtc, DateTime EndsAtUtc, string Level);

/// <summary>A shift that cannot be added; the message says why.</summary>
public sealed class DutyRosterException(string message) : Exception(message);
