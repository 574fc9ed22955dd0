using Npgsql;

namespace GeoMine.Viewer.Demo;

/// <summary>
/// The demo county made lived in, on top of the demo data of <c>data/shapefiles</c>: persons (names marked 演示·) who
/// answer for the shafts, towns and 头顶库 — the shafts of 板桥煤矿 (YC-CM-009) left without anyone, to be seen —, a patrol
/// phone, an excavator bound to 石龙岗石灰岩矿's licence and a truck. Their recorded tracks (<c>data/demo/*.gpx</c>) go through
/// the real position feed (<see cref="DemoReplay"/>), so visits, an overdue shaft, a 越界 and a 死灰复燃 alarm follow
/// from GeoMine's own rules within minutes. Everything the demo adds is listed in <c>demo_object</c>, and
/// <see cref="RemoveAsync"/> takes exactly that away, with what it caused.
/// </summary>
public static class DemoCounty
{
    /// <summary>The demo's devices: key, kind, name, the index of its owner in the persons (-1: none), and the track it
    /// replays live (null: only its recorded history).</summary>
    public static readonly IReadOnlyList<(string Key, string Kind, string Name, int Owner, string? Track)> Devices =
    [
        ("demo-phone-1", "patrol_phone", "演示 巡查手机（陈）", 0, "patrol-phone-skip-j3.gpx"),
        ("demo-phone-2", "patrol_phone", "演示 巡查手机（刘）", 1, null),
        ("demo-phone-3", "patrol_phone", "演示 巡查手机（赵）", 2, null),
        ("demo-excavator-1", "equipment", "演示 挖掘机（石龙岗石灰岩矿）", -1, "excavator.gpx"),
        ("demo-truck-1", "vehicle", "演示 货车", -1, "truck.gpx"),
    ];

    /// <summary>The recorded patrols sent once as history: track, phone, how many days ago (started 09:00 China time).
    /// 箕山电煤's J3 is skipped by the patrol of two days ago, so it falls overdue; 韦家沟's, six days ago, is due soon.</summary>
    public static readonly IReadOnlyList<(string Track, string Device, int DaysAgo)> History =
    [
        ("patrol-phone-all.gpx", "demo-phone-1", 10), ("patrol-phone-skip-j3.gpx", "demo-phone-1", 2),
        ("patrol-YC-CM-001.gpx", "demo-phone-2", 1), ("patrol-YC-CM-002.gpx", "demo-phone-2", 3), ("patrol-YC-CM-003.gpx", "demo-phone-2", 6),
        ("patrol-YC-CM-005.gpx", "demo-phone-3", 1), ("patrol-YC-CM-006.gpx", "demo-phone-3", 2),
        ("patrol-YC-CM-007.gpx", "demo-phone-3", 4), ("patrol-YC-CM-008.gpx", "demo-phone-3", 5),
    ];

    // Who answers for what: (name, phone, role, object kind, object codes as a LIKE pattern or list).
    private static readonly (string Name, string Phone, string Role, string ObjectKind, string[] Codes)[] People =
    [
        ("演示·陈巡查", "13800001001", "responsible_person", "sealed_shaft", ["YC-CM-004-J1", "YC-CM-004-J2", "YC-CM-004-J3", "YC-CM-004-J4"]),
        ("演示·刘巡查", "13800001002", "responsible_person", "sealed_shaft",
            ["YC-CM-001-J1", "YC-CM-001-J2", "YC-CM-001-J3", "YC-CM-002-J1", "YC-CM-002-J2", "YC-CM-002-J3", "YC-CM-003-J1", "YC-CM-003-J2", "YC-CM-003-J3"]),
        ("演示·赵巡查", "13800001003", "responsible_person", "sealed_shaft",
            ["YC-CM-005-J1", "YC-CM-005-J2", "YC-CM-006-J1", "YC-CM-006-J2", "YC-CM-007-J1", "YC-CM-007-J2", "YC-CM-008-J1", "YC-CM-008-J2"]),
        ("演示·吴副镇长", "13800001004", "government_leader", "tailings_pond", ["YC-TP-01", "YC-TP-04"]),
    ];

    private const string Needed = """
        SELECT (SELECT count(*) FROM sealed_shaft WHERE code LIKE 'YC-CM-00_-J_') = 23
           AND EXISTS (SELECT FROM mining_right WHERE licence_no = 'C5001182017051130144310')
           AND EXISTS (SELECT FROM closed_mine WHERE code = 'YC-CM-006')
        """;

    /// <summary>Whether the demo is loaded (and since when).</summary>
    public static async Task<DateTime?> LoadedAtAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT loaded_at FROM demo_load");
        return await command.ExecuteScalarAsync(ct) is DateTime at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
    }

    /// <summary>Loads the demo's persons, assignments and devices in one transaction; false when it was loaded already.</summary>
    /// <exception cref="InvalidOperationException">The demo data of data/shapefiles is not there.</exception>
    public static async Task<bool> LoadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        async Task<object?> Scalar(string sql, params (string, object)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await command.ExecuteScalarAsync(ct);
        }

        await Scalar("LOCK TABLE demo_load IN EXCLUSIVE MODE");
        if (await Scalar("SELECT 1 FROM demo_load") is not null)
        {
            return false;
        }

        if (await Scalar(Needed) is not true)
        {
            throw new InvalidOperationException(
                "the demo needs the demo county of data/shapefiles (geomine up imports it into an empty database on first run)");
        }

        await Scalar("INSERT INTO demo_load DEFAULT VALUES");
        var persons = new List<long>();
        foreach (var (name, phone, role, kind, codes) in People)
        {
            var person = (long)(await Scalar("INSERT INTO person (name, phone) VALUES (@n, @p) RETURNING id", ("n", name), ("p", phone)))!;
            persons.Add(person);
            await Scalar("INSERT INTO demo_object (kind, id) VALUES ('person', @id)", ("id", person));
            var table = kind == "sealed_shaft" ? "sealed_shaft" : "tailings_pond";
            await Scalar($"""
                WITH a AS (
                    INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
                    SELECT @person, @role, @kind, o.id, now() - interval '30 days' FROM {table} o WHERE o.code = ANY(@codes) RETURNING id)
                INSERT INTO demo_object (kind, id) SELECT 'assignment', id FROM a
                """, ("person", person), ("role", role), ("kind", kind), ("codes", codes));
        }

        // Every town with a closed mine gets a lead leader (包保领导).
        var leader = (long)(await Scalar("INSERT INTO person (name, phone) VALUES ('演示·孙书记', '13800001005') RETURNING id"))!;
        await Scalar("INSERT INTO demo_object (kind, id) VALUES ('person', @id)", ("id", leader));
        await Scalar("""
            WITH a AS (
                INSERT INTO assignment (person_id, role, object_kind, object_id, valid_from)
                SELECT @person, 'lead_leader', 'town', t.id, now() - interval '30 days' FROM jurisdiction t
                WHERE t.level = 'town' AND EXISTS (SELECT FROM closed_mine m WHERE m.town_id = t.id) RETURNING id)
            INSERT INTO demo_object (kind, id) SELECT 'assignment', id FROM a
            """, ("person", leader));

        foreach (var (key, kind, name, owner, _) in Devices)
        {
            var device = (long)(await Scalar("""
                INSERT INTO device (device_key, name, kind, owner_person_id, owner_name, mining_right_id, registered)
                VALUES (@key, @name, @kind, CASE WHEN @owner >= 0 THEN (@persons::bigint[])[@owner + 1] END,
                        CASE @kind WHEN 'equipment' THEN '演示 石龙岗石灰岩矿' WHEN 'vehicle' THEN '演示 个体运输户' END,
                        CASE WHEN @kind = 'equipment' THEN (SELECT id FROM mining_right WHERE licence_no = 'C5001182017051130144310') END, true)
                -- a demo removed before left this device disabled (an alarm names it): it comes back
                ON CONFLICT (device_key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, owner_person_id = EXCLUDED.owner_person_id,
                    owner_name = EXCLUDED.owner_name, mining_right_id = EXCLUDED.mining_right_id, registered = true, enabled = true
                RETURNING id
                """, ("key", key), ("name", name), ("kind", kind), ("owner", owner), ("persons", persons.ToArray())))!;
            await Scalar("INSERT INTO demo_object (kind, id) VALUES ('device', @id)", ("id", device));
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Takes the demo away in one transaction: its devices with every position, visit, record, track and detection state
    /// of theirs, its assignments and persons. The alarms it caused — about its devices, and those raised since it was loaded
    /// about the objects its assignments named (an overdue shaft followed from its people) — are closed as demo data and
    /// kept, with the devices they name (disabled): the alarm audit trail is append-only for everyone. Returns what was
    /// done, or null when no demo was loaded.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>?> RemoveAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockIt = new NpgsqlCommand("LOCK TABLE demo_load IN EXCLUSIVE MODE", connection, tx))
        {
            await lockIt.ExecuteNonQueryAsync(ct);
        }

        await using (var loaded = new NpgsqlCommand("SELECT 1 FROM demo_load", connection, tx))
        {
            if (await loaded.ExecuteScalarAsync(ct) is null)
            {
                return null;
            }
        }

        const string Devices = "(SELECT id FROM demo_object WHERE kind = 'device')";
        const string Objects = "(SELECT a.object_kind, a.object_id FROM assignment a WHERE a.id IN (SELECT id FROM demo_object WHERE kind = 'assignment'))";
        // The alarms the demo caused. Their audit trail is append-only, as every alarm's (nobody may erase what was
        // raised): they are closed — one alarm_event each saying so — and kept, and so are the devices they name.
        var demoAlarms = $"""
            SELECT id FROM alarm WHERE device_id IN {Devices} OR (object_kind = 'device' AND object_id IN {Devices})
               OR (started_at >= (SELECT loaded_at FROM demo_load) AND (object_kind, object_id) IN {Objects})
            """;
        var steps = new (string What, string Sql)[]
        {
            ("positions", $"DELETE FROM position WHERE device_id IN {Devices}"),
            ("refused positions", "DELETE FROM position_rejection WHERE device_key LIKE 'demo-%'"),
            ("patrol visits", $"DELETE FROM patrol_visit WHERE device_id IN {Devices} OR person_id IN (SELECT id FROM demo_object WHERE kind = 'person')"),
            ("patrol record photos", $"""
                DELETE FROM patrol_record_photo WHERE record_id IN (
                    SELECT id FROM patrol_record WHERE device_id IN {Devices} OR corroborating_device_id IN {Devices})
                """),
            ("patrol records", $"DELETE FROM patrol_record WHERE device_id IN {Devices} OR corroborating_device_id IN {Devices}"),
            ("track days", $"DELETE FROM patrol_track_day WHERE device_id IN {Devices}"),
            ("stale track days", $"DELETE FROM patrol_track_stale WHERE device_id IN {Devices}"),
            ("scan states", $"DELETE FROM patrol_scan_state WHERE device_id IN {Devices}"),
            ("detection states", $"DELETE FROM detection_state WHERE device_id IN {Devices}"),
            // A device an alarm names stays, disabled (its fixes are refused from now on) and without its demo owner.
            ("devices disabled (named by kept alarms)", $"""
                UPDATE device SET enabled = false, owner_person_id = NULL
                WHERE id IN {Devices} AND EXISTS (SELECT FROM alarm a WHERE a.device_id = device.id)
                """),
            ("devices", $"DELETE FROM device d WHERE d.id IN {Devices} AND NOT EXISTS (SELECT FROM alarm a WHERE a.device_id = d.id)"),
            ("assignments", "DELETE FROM assignment WHERE id IN (SELECT id FROM demo_object WHERE kind = 'assignment')"),
            ("persons", "DELETE FROM person WHERE id IN (SELECT id FROM demo_object WHERE kind = 'person')"),
            ("demo list", "DELETE FROM demo_object"),
            ("demo mark", "DELETE FROM demo_load"),
        };
        var removed = new Dictionary<string, int>
        {
            ["alarms closed as demo data"] = await Patrol.Alarms.AlarmStore.CloseAsNotRealAsync(demoAlarms, "geomine demo remove", "演示数据 demo data",
                "演示数据：删除演示时关闭 (demo data, closed when the demo was removed)", connection, tx, ct),
        };
        foreach (var (what, sql) in steps)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            removed[what] = await command.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return removed;
    }
}
