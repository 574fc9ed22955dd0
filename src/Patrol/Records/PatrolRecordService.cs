using GeoMine.Geo.Import;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Visits;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Patrol.Records;

/// <summary>
/// Stores patrol records from the field in one transaction with their photos. A record is "at site"
/// when the patroller stood within the visit radius + the phone's accuracy (the widening capped as for
/// track visits) of the shaft, by geodesic distance on the CGCS2000 ellipsoid; it is kept either way.
/// An on-site record at site is also a visit (source <c>record</c>) when it is corroborated: filed by the
/// patrol phone itself with its token, or backed by a fix of the named person's phone within the visit
/// radius and <see cref="PatrolRecordOptions.CorroborationWindow"/> of the record's time. A seal found
/// damaged, opened or with signs of entry raises a <c>seal_finding</c> alarm and updates the shaft's status
/// (a finding is a report to act on, corroborated or not).
/// </summary>
public sealed class PatrolRecordService(
    NpgsqlDataSource db, AlarmStore alarms, IOptions<VisitOptions> options, IOptions<PatrolRecordOptions> recordOptions, TimeProvider clock)
{
    /// <summary>The largest accuracy radius a record may state, metres (beyond it no site can be judged anyway).</summary>
    public const double MaxAccuracyMetres = 10_000;

    /// <summary>How a record was made: on_site (at the shaft, with a position) or online (视频/远程).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["on_site", "online"];

    /// <summary>The seal as found: intact, damaged, opened or signs_of_entry.</summary>
    public static readonly IReadOnlyList<string> Conditions = ["intact", "damaged", "opened", "signs_of_entry"];

    /// <summary>
    /// Whether the patrol phone <paramref name="deviceId"/> may file <paramref name="input"/>: the record must be in its
    /// owner's name and the shaft in a town where the owner answers for something at the record's time. A phone's
    /// token proves which phone sent the record; this keeps a phone from speaking for other people or other towns.
    /// </summary>
    public async Task<PhoneFiling> CheckPhoneFilingAsync(long deviceId, PatrolRecordInput input, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand($"""
            WITH owner_person AS (  -- the registered owner, else the persons with the owner name it was registered with
                SELECT p.id FROM device d JOIN person p
                    ON p.id = d.owner_person_id OR (d.owner_person_id IS NULL AND p.name = d.owner_name)
                WHERE d.id = @device
            ), owner_town AS (
                SELECT {LayerCatalog.TownOfObject("a.object_kind", "a.object_id")} AS town_id
                FROM assignment a
                WHERE a.person_id IN (SELECT id FROM owner_person)
                  AND a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)
            )
            SELECT o.owner, coalesce(o.owner = @person, false),
                   EXISTS (SELECT 1 FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id
                           WHERE s.code = @code AND m.town_id IN (SELECT town_id FROM owner_town))
            FROM (SELECT coalesce(p.name, d.owner_name) AS owner
                  FROM device d LEFT JOIN person p ON p.id = d.owner_person_id WHERE d.id = @device) o
            """);
        command.Parameters.AddWithValue("device", deviceId);
        command.Parameters.AddWithValue("person", input.PersonName);
        command.Parameters.AddWithValue("code", input.ShaftCode);
        command.Parameters.AddWithValue("at", input.RecordedAtUtc);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PhoneFiling(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2));
    }

    /// <summary>Validates and stores <paramref name="input"/> with <paramref name="photos"/>.</summary>
    /// <exception cref="PatrolRecordException">A field is wrong; the message names it; nothing was stored.</exception>
    public async Task<PatrolRecordResult> AddAsync(
        PatrolRecordInput input, PatrolRecordFiler filer, IReadOnlyList<PatrolPhoto> photos, CancellationToken ct = default)
    {
        Validate(input, photos);
        CheckTime(input.RecordedAtUtc);
        var radius = options.Value.RadiusMetres + Math.Min(input.AccuracyMetres ?? 0, options.Value.MaxAccuracyWideningMetres);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        long shaftId;
        double? distance = null;
        await using (var shaft = new NpgsqlCommand("""
            SELECT id, CASE WHEN @lon::float8 IS NULL THEN NULL
                       ELSE ST_Distance(geography(geom), geography(ST_SetSRID(ST_MakePoint(@lon, @lat), 4490))) END
            FROM sealed_shaft WHERE code = @code
            """, connection, transaction))
        {
            shaft.Parameters.AddWithValue("code", input.ShaftCode);
            shaft.Parameters.Add(new NpgsqlParameter("lon", NpgsqlDbType.Double) { Value = (object?)input.Longitude ?? DBNull.Value });
            shaft.Parameters.Add(new NpgsqlParameter("lat", NpgsqlDbType.Double) { Value = (object?)input.Latitude ?? DBNull.Value });
            await using var reader = await shaft.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new PatrolRecordException($"shaft: no sealed shaft with code '{input.ShaftCode}'");
            }

            shaftId = reader.GetInt64(0);
            distance = reader.IsDBNull(1) ? null : reader.GetDouble(1);
        }

        var atSite = input.Kind == "on_site" && distance <= radius;
        var corroboration = filer.IsPatrolPhone ? Corroboration.ByPhoneToken
            : atSite ? await FixNearbyAsync(connection, transaction, shaftId, input, ct) : Corroboration.None;
        var countsAsVisit = atSite && corroboration.Kind != Corroboration.NoneKind;
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO patrol_record (shaft_id, device_id, person_name, kind, recorded_at, geom, accuracy_m, distance_m, at_site, seal_condition, remarks,
                                       filed_by, filed_by_phone, corroboration, corroborating_device_id, corroborating_fix_time, corroborating_fix_distance_m)
            VALUES (@shaft, (SELECT id FROM device WHERE device_key = @device), @person, @kind, @at,
                    CASE WHEN @lon::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon, @lat), 4490) END,
                    @accuracy, @distance, @at_site, @seal, @remarks,
                    @filed_by, @filed_by_phone, @corroboration, @fix_device, @fix_time, @fix_distance)
            RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("shaft", shaftId);
            insert.Parameters.Add(Text("device", input.DeviceKey));
            insert.Parameters.AddWithValue("person", input.PersonName);
            insert.Parameters.AddWithValue("kind", input.Kind);
            insert.Parameters.AddWithValue("at", input.RecordedAtUtc);
            insert.Parameters.Add(Number("lon", input.Longitude));
            insert.Parameters.Add(Number("lat", input.Latitude));
            insert.Parameters.Add(Number("accuracy", input.AccuracyMetres));
            insert.Parameters.Add(Number("distance", distance));
            insert.Parameters.AddWithValue("at_site", atSite);
            insert.Parameters.AddWithValue("seal", input.SealCondition);
            insert.Parameters.Add(Text("remarks", input.Remarks));
            insert.Parameters.AddWithValue("filed_by", filer.Name);
            insert.Parameters.AddWithValue("filed_by_phone", filer.IsPatrolPhone);
            insert.Parameters.AddWithValue("corroboration", corroboration.Kind);
            insert.Parameters.Add(new NpgsqlParameter("fix_device", NpgsqlDbType.Bigint) { Value = (object?)corroboration.DeviceId ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("fix_time", NpgsqlDbType.TimestampTz) { Value = (object?)corroboration.FixTimeUtc ?? DBNull.Value });
            insert.Parameters.Add(Number("fix_distance", corroboration.DistanceMetres));
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        foreach (var photo in photos)
        {
            await using var store = new NpgsqlCommand(
                "INSERT INTO patrol_record_photo (record_id, media_type, size_bytes, sha256, content) VALUES (@id, @type, @size, @hash, @content)",
                connection, transaction);
            store.Parameters.AddWithValue("id", id);
            store.Parameters.AddWithValue("type", photo.SniffMediaType()!);
            store.Parameters.AddWithValue("size", photo.Content.Length);
            store.Parameters.AddWithValue("hash", SHA256.HashData(photo.Content));
            store.Parameters.AddWithValue("content", photo.Content);
            await store.ExecuteNonQueryAsync(ct);
        }

        if (countsAsVisit)
        {
            await using var visit = new NpgsqlCommand("""
                INSERT INTO patrol_visit (shaft_id, device_id, arrived_at, left_at, min_distance_m, source)
                VALUES (@shaft, (SELECT id FROM device WHERE device_key = @device), @at, @at, @distance, 'record')
                """, connection, transaction);
            visit.Parameters.AddWithValue("shaft", shaftId);
            visit.Parameters.Add(Text("device", input.DeviceKey));
            visit.Parameters.AddWithValue("at", input.RecordedAtUtc);
            visit.Parameters.AddWithValue("distance", distance!.Value);
            await visit.ExecuteNonQueryAsync(ct);
        }

        long? alarmId = null;
        if (input.SealCondition != "intact")
        {
            var finding = input.SealCondition switch { "damaged" => "破损", "opened" => "被打开", _ => "有进入迹象" };
            var evidence = new JsonObject
            {
                ["record"] = id, ["person"] = input.PersonName, ["seal_condition"] = input.SealCondition,
                ["at_site"] = atSite, ["corroboration"] = corroboration.Kind, ["filed_by"] = filer.Name, ["distance_m"] = distance is { } d ? Math.Round(d, 1) : null, ["remarks"] = input.Remarks,
            };
            (alarmId, _) = await alarms.RaiseOrExtendAsync(new AlarmCondition(AlarmKinds.SealFinding.Code, input.SealCondition == "damaged" ? "orange" : "red",
                "sealed_shaft", shaftId, null, $"封闭井口 {input.ShaftCode} 巡查发现封闭设施{finding}（{input.PersonName}）",
                input.RecordedAtUtc, input.RecordedAtUtc, evidence), connection, transaction, ct);
            await using var status = new NpgsqlCommand(
                "UPDATE sealed_shaft SET status = @status, updated_at = now() WHERE id = @id", connection, transaction);
            status.Parameters.AddWithValue("status", input.SealCondition == "damaged" ? "damaged" : "opened");
            status.Parameters.AddWithValue("id", shaftId);
            await status.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return new PatrolRecordResult(id, distance, atSite, countsAsVisit, corroboration.Kind, alarmId);
    }

    /// <summary>Refuses a record time outside [now − <see cref="PatrolRecordOptions.MaxAge"/>, now + <see cref="PatrolRecordOptions.MaxAhead"/>].</summary>
    private void CheckTime(DateTime recordedAtUtc)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var limits = recordOptions.Value;
        if (recordedAtUtc < now - limits.MaxAge || recordedAtUtc > now + limits.MaxAhead)
        {
            throw new PatrolRecordException($"time: {Geo.ChinaTime.Iso(recordedAtUtc)} is outside the accepted window " +
                $"[{Geo.ChinaTime.Iso(now - limits.MaxAge)}, {Geo.ChinaTime.Iso(now + limits.MaxAhead)}] (China time)");
        }
    }

    /// <summary>
    /// The nearest fix of a phone owned by the named person within the visit radius (widened by the fix's own accuracy,
    /// capped) of the shaft and within the corroboration window of the record's time, by PostGIS's geodesic distance.
    /// </summary>
    private async Task<Corroboration> FixNearbyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long shaftId, PatrolRecordInput input, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT p.device_id, p.fix_time, ST_Distance(geography(p.geom), geography(s.geom)) AS distance_m
            FROM sealed_shaft s, device d LEFT JOIN person op ON op.id = d.owner_person_id
            JOIN position p ON p.device_id = d.id
            WHERE s.id = @shaft AND d.registered AND coalesce(op.name, d.owner_name) = @person
              AND p.fix_time BETWEEN @at - @window AND @at + @window
              AND ST_DWithin(geography(p.geom), geography(s.geom), @radius + least(coalesce(p.accuracy_m, 0), @widening))
            ORDER BY distance_m LIMIT 1
            """, connection, transaction);
        command.Parameters.AddWithValue("shaft", shaftId);
        command.Parameters.AddWithValue("person", input.PersonName);
        command.Parameters.AddWithValue("at", input.RecordedAtUtc);
        command.Parameters.AddWithValue("window", recordOptions.Value.CorroborationWindow);
        command.Parameters.AddWithValue("radius", options.Value.RadiusMetres);
        command.Parameters.AddWithValue("widening", options.Value.MaxAccuracyWideningMetres);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Corroboration(Corroboration.PhoneFixKind, reader.GetInt64(0), reader.GetDateTime(1), reader.GetDouble(2))
            : Corroboration.None;
    }

    /// <summary>What places the person at the shaft besides their word; stored with the record.</summary>
    private sealed record Corroboration(string Kind, long? DeviceId, DateTime? FixTimeUtc, double? DistanceMetres)
    {
        public const string NoneKind = "none";
        public const string PhoneFixKind = "phone_fix";

        public static Corroboration None { get; } = new(NoneKind, null, null, null);

        public static Corroboration ByPhoneToken { get; } = new("phone_token", null, null, null);
    }

    private static void Validate(PatrolRecordInput input, IReadOnlyList<PatrolPhoto> photos)
    {
        if (string.IsNullOrWhiteSpace(input.ShaftCode))
        {
            throw new PatrolRecordException("shaft: missing");
        }

        if (string.IsNullOrWhiteSpace(input.PersonName))
        {
            throw new PatrolRecordException("person: missing");
        }

        if (!Kinds.Contains(input.Kind))
        {
            throw new PatrolRecordException($"kind: '{input.Kind}' is not on_site or online");
        }

        if (!Conditions.Contains(input.SealCondition))
        {
            throw new PatrolRecordException($"seal: '{input.SealCondition}' is not one of {string.Join(", ", Conditions)}");
        }

        if (input.Kind == "on_site" && (input.Longitude is null || input.Latitude is null))
        {
            throw new PatrolRecordException("lat/lon: an on-site record needs the position it was made at");
        }

        if (input.AccuracyMetres is < 0 or > MaxAccuracyMetres)
        {
            throw new PatrolRecordException($"accuracy: {input.AccuracyMetres} m, must be from 0 to {MaxAccuracyMetres} m");
        }

        if (input.Latitude is { } lat && (Math.Abs(lat) > 90 || input.Longitude is not { } lon || Math.Abs(lon) > 180))
        {
            throw new PatrolRecordException("lat/lon: out of range");
        }

        foreach (var photo in photos)
        {
            if (photo.Content.Length is 0 or > PatrolPhoto.MaxBytes)
            {
                throw new PatrolRecordException($"photo {photo.FileName}: {photo.Content.Length} bytes, allowed 1 to {PatrolPhoto.MaxBytes}");
            }

            if (photo.SniffMediaType() is null)
            {
                throw new PatrolRecordException($"photo {photo.FileName}: not a JPEG or PNG image");
            }
        }
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Number(string name, double? value) => new(name, NpgsqlDbType.Double) { Value = (object?)value ?? DBNull.Value };
}
