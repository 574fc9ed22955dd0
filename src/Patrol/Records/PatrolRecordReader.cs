using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Records;

/// <summary>
/// Reads patrol records and their photos back, limited to the towns given (jurisdiction ids; null = every town). A record
/// of a shaft outside those towns is never read: it is answered as absent.
/// </summary>
public sealed class PatrolRecordReader(NpgsqlDataSource db)
{
    private const string Select = """
        SELECT r.id, s.code, m.code, t.code, r.person_name, r.kind, r.recorded_at, r.received_at,
               ST_X(r.geom), ST_Y(r.geom), r.accuracy_m, r.distance_m, r.at_site,
               r.kind = 'on_site' AND r.at_site AND r.corroboration <> 'none', r.corroboration, r.seal_condition, r.remarks,
               r.filed_by, d.device_key,
               coalesce((SELECT jsonb_agg(jsonb_build_array(p.id, p.media_type, p.size_bytes, encode(p.sha256, 'hex')) ORDER BY p.id)
                         FROM patrol_record_photo p WHERE p.record_id = r.id), '[]'::jsonb)::text
        FROM patrol_record r
        JOIN sealed_shaft s ON s.id = r.shaft_id
        JOIN closed_mine m ON m.id = s.mine_id
        LEFT JOIN jurisdiction t ON t.id = m.town_id
        LEFT JOIN device d ON d.id = r.device_id
        WHERE (@towns::bigint[] IS NULL OR m.town_id = ANY(@towns))
        """;

    /// <summary>Records newest first (by record time), optionally of one shaft and within [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    public async Task<IReadOnlyList<PatrolRecordSummary>> ListAsync(
        long[]? towns, string? shaftCode, DateTime? fromUtc, DateTime? toUtc, int limit, int offset, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand($"""
            {Select}
              AND (@shaft::text IS NULL OR s.code = @shaft)
              AND (@from::timestamptz IS NULL OR r.recorded_at >= @from)
              AND (@to::timestamptz IS NULL OR r.recorded_at < @to)
            ORDER BY r.recorded_at DESC, r.id DESC LIMIT @limit OFFSET @offset
            """);
        AddTowns(command, towns);
        command.Parameters.Add(new NpgsqlParameter("shaft", NpgsqlDbType.Text) { Value = (object?)shaftCode ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)fromUtc ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)toUtc ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("offset", offset);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>One record, or null when there is none (or it lies outside <paramref name="towns"/>).</summary>
    public async Task<PatrolRecordSummary?> FindAsync(long[]? towns, long id, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand($"{Select} AND r.id = @id");
        AddTowns(command, towns);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>A photo's media type and bytes, or null when the record or photo is absent (or outside <paramref name="towns"/>).</summary>
    public async Task<(string MediaType, byte[] Content)?> PhotoAsync(long[]? towns, long recordId, long photoId, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand("""
            SELECT p.media_type, p.content
            FROM patrol_record_photo p
            JOIN patrol_record r ON r.id = p.record_id
            JOIN sealed_shaft s ON s.id = r.shaft_id
            JOIN closed_mine m ON m.id = s.mine_id
            WHERE p.id = @photo AND r.id = @record AND (@towns::bigint[] IS NULL OR m.town_id = ANY(@towns))
            """);
        AddTowns(command, towns);
        command.Parameters.AddWithValue("record", recordId);
        command.Parameters.AddWithValue("photo", photoId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    private static void AddTowns(NpgsqlCommand command, long[]? towns) =>
        command.Parameters.Add(new NpgsqlParameter("towns", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = (object?)towns ?? DBNull.Value });

    private static async Task<IReadOnlyList<PatrolRecordSummary>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var records = new List<PatrolRecordSummary>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            double? Number(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            using var photos = System.Text.Json.JsonDocument.Parse(r.GetString(19));
            records.Add(new PatrolRecordSummary(
                r.GetInt64(0), r.GetString(1), r.GetString(2), Text(3), r.GetString(4), r.GetString(5),
                r.GetDateTime(6), r.GetDateTime(7), Number(8), Number(9), Number(10), Number(11), r.GetBoolean(12), r.GetBoolean(13),
                r.GetString(14), r.GetString(15), Text(16), r.GetString(17), Text(18),
                photos.RootElement.EnumerateArray().Select(p => new PatrolRecordPhotoInfo(
                    p[0].GetInt64(), p[1].GetString()!, p[2].GetInt32(), p[3].GetString()!)).ToList()));
        }

        return records;
    }
}
