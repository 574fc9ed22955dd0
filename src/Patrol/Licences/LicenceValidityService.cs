using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Licences;

/// <summary>How far ahead expiring licences are listed (configuration section <c>Licences</c>).</summary>
public sealed class LicenceValidityOptions
{
    /// <summary>Licences whose validity ends within this many days are listed as expiring. Default 90.</summary>
    public int ExpiringWithinDays { get; set; } = 90;
}

/// <summary>One mining licence's validity as of a China date.</summary>
/// <param name="LicenceNo">Licence number.</param>
/// <param name="Holder">采矿权人.</param>
/// <param name="MineName">矿山名称.</param>
/// <param name="Town">Town name.</param>
/// <param name="ValidFrom">First valid day (China date), if known.</param>
/// <param name="ValidTo">Last valid day, if known.</param>
/// <param name="DaysLeft">Days from the date asked to the last valid day: negative once expired.</param>
/// <param name="Status"><c>expiring</c> (within the window) or <c>expired</c>.</param>
public sealed record LicenceValidity(string LicenceNo, string? Holder, string? MineName, string? Town, DateOnly? ValidFrom, DateOnly? ValidTo, int DaysLeft, string Status);

/// <summary>
/// Mining licences expiring within <see cref="LicenceValidityOptions.ExpiringWithinDays"/> of a China date, and those
/// already expired, in the towns asked (null: all). Work under an expired or not-yet-valid licence raises
/// <c>licence_not_valid</c> (the boundary check); this is the list officials act on before that happens.
/// </summary>
public sealed class LicenceValidityService(NpgsqlDataSource db)
{
    private const string Query = """
        SELECT r.licence_no, r.holder, r.mine_name, t.name, r.valid_from, r.valid_to, r.valid_to - @today
        FROM mining_right r LEFT JOIN jurisdiction t ON t.id = r.town_id
        WHERE r.valid_to IS NOT NULL AND r.valid_to <= @today + @days
          AND (@towns::bigint[] IS NULL OR r.town_id = ANY(@towns))
        ORDER BY r.valid_to, r.licence_no
        """;

    /// <summary>Licences expired, or expiring within <paramref name="days"/> of <paramref name="today"/>, soonest first.</summary>
    public async Task<IReadOnlyList<LicenceValidity>> ListAsync(DateOnly today, int days, long[]? towns, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand(Query);
        command.Parameters.AddWithValue("today", today);
        command.Parameters.AddWithValue("days", days);
        command.Parameters.Add(new NpgsqlParameter("towns", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = (object?)towns ?? DBNull.Value });
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<LicenceValidity>();
        while (await r.ReadAsync(cancellationToken))
        {
            var left = r.GetInt32(6);
            list.Add(new LicenceValidity(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateOnly>(4), r.GetFieldValue<DateOnly>(5),
                left, left < 0 ? "expired" : "expiring"));
        }

        return list;
    }
}
