using System.Globalization;
using System.Text.Json.Nodes;
using GeoMine.Patrol.Alarms;
using Npgsql;

namespace GeoMine.Patrol.Positions;

/// <summary>
/// SOS from a phone (Traccar Client's <c>alarm=sos</c>): a red alarm about the device, at the fix it was sent with, in the
/// town where that fix lies, naming the phone's owner. A second SOS while the first is open extends it (one episode).
/// Only registered devices: an SOS from an unknown device has nobody to name and is stored like its fix (or refused).
/// </summary>
public sealed class SosAlarms(NpgsqlDataSource db, AlarmStore alarms)
{
    private const string Fix = """
        SELECT d.id, coalesce(d.name, d.device_key), coalesce(p.name, d.owner_name, ''), ST_X(x.geom), ST_Y(x.geom), x.accuracy_m
        FROM device d
        LEFT JOIN person p ON p.id = d.owner_person_id
        JOIN position x ON x.device_id = d.id AND x.fix_time = @time
        WHERE d.device_key = @key AND d.registered
        """;

    /// <summary>Raises or extends the SOS alarm of device <paramref name="deviceKey"/> at its stored fix of
    /// <paramref name="fixTimeUtc"/>; returns the alarm id, or null when the device is not registered or the fix not stored.</summary>
    public async Task<long?> RaiseAsync(string deviceKey, DateTime fixTimeUtc, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        AlarmCondition condition;
        await using (var find = new NpgsqlCommand(Fix, connection, transaction))
        {
            find.Parameters.AddWithValue("key", deviceKey);
            find.Parameters.AddWithValue("time", fixTimeUtc);
            await using var r = await find.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            var (id, name, owner) = (r.GetInt64(0), r.GetString(1), r.GetString(2));
            var kind = AlarmKinds.Sos;
            condition = new AlarmCondition(kind.Code, "red", kind.ObjectKind, id, id,
                $"紧急求助：{(owner.Length > 0 ? owner : name)}（{name}）", fixTimeUtc, fixTimeUtc, new JsonObject
                {
                    ["device"] = deviceKey,
                    ["owner"] = owner.Length > 0 ? owner : null,
                    ["positions"] = new JsonArray(new JsonObject
                    {
                        ["time"] = fixTimeUtc.ToString("O", CultureInfo.InvariantCulture),
                        ["lon"] = r.GetDouble(3),
                        ["lat"] = r.GetDouble(4),
                        ["accuracy_m"] = r.IsDBNull(5) ? null : r.GetDouble(5),
                    }),
                });
        }

        var (alarmId, _) = await alarms.RaiseOrExtendAsync(condition, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return alarmId;
    }
}
