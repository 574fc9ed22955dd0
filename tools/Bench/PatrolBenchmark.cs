using System.Diagnostics;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Alarms;
using GeoMine.Patrol.Obligations;
using GeoMine.Patrol.Positions;
using GeoMine.Patrol.Visits;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench patrol</c>: the patrol pass — the <c>patrol-visits</c> job (visits from positions received since
/// its watermark) then the <c>patrol-overdue</c> job (every shaft rated, alarms raised, extended, escalated, ended) —
/// on a throw-away database loaded by binary COPY with the <see cref="PatrolWorkload"/>. The history is loaded and
/// passed over once (first full pass); then the last shifts' final minutes arrive in 5-minute increments, each
/// followed by one pass (incremental pass, the figure with the 1 s target).
/// </summary>
internal sealed class PatrolBenchmark(PatrolBenchmark.Settings settings, TextWriter output)
{
    internal sealed record Settings(int Shafts, long Points, int Days, int Increments, int Seed);

    private static readonly TimeSpan IncrementLength = TimeSpan.FromMinutes(5);

    public Task RunAsync(string adminConnectionString, CancellationToken ct) =>
        BenchDatabase.RunAsync(adminConnectionString, "geomine_bench_patrol", 10, connectionString => RunOnAsync(connectionString, ct), ct);

    private async Task RunOnAsync(string connectionString, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var workload = new PatrolWorkload(settings.Shafts, settings.Points, settings.Days, settings.Seed);
        var end = DateTime.UtcNow.AddMinutes(-1);
        end = new DateTime(end.Ticks - (end.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        var shiftEnds = Enumerable.Range(0, settings.Days).Select(d => end.AddDays(d - settings.Days + 1)).ToList();
        var cut = end - (IncrementLength * settings.Increments);
        output.WriteLine($"workload: {workload.Shafts.Count:N0} shafts of {workload.Mines.Count:N0} mines in {workload.Towns.Count:N0} towns of 40 mining " +
                         $"districts; {workload.Devices:N0} patrol phones (one responsible person each), {settings.Days} shifts of " +
                         $"{workload.StepsPerDay * PatrolWorkload.FixSeconds / 3600.0:0.#} h, a fix every {PatrolWorkload.FixSeconds} s, " +
                         $"walking 1.0–1.5 m/s shaft to nearest shaft, 3–8 min at each; seed {settings.Seed}");

        await using var db = GeoMine.Geo.Storage.GeoDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, CommandTimeout = 0 }.ConnectionString);
        await LoadReferenceAsync(db, workload, end, ct);
        var partitions = new PositionPartitions(db);
        await partitions.EnsureAsync([shiftEnds[0].AddDays(-1), end], ct);
        var increments = Enumerable.Range(0, settings.Increments).Select(_ => new List<PatrolWorkload.Fix>()).ToArray();
        var load = Stopwatch.StartNew();
        var history = await CopyPositionsAsync(db, Split(workload.Fixes(shiftEnds), cut, increments), receivedAfterFix: TimeSpan.FromSeconds(5), ct);
        // A week of positions as autovacuum leaves them (it visits a table after bulk inserts): statistics current and the
        // received_at BRIN summarized. Autosummarize would summarize the ranges one by one as they fill, but a bulk load
        // outruns its work-item queue.
        await using (var analyze = db.CreateCommand("VACUUM (ANALYZE)"))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        output.WriteLine($"loaded {history:N0} positions by binary COPY in {load.Elapsed.TotalSeconds:0.0} s " +
                         $"({history / load.Elapsed.TotalSeconds:N0} rows/s, VACUUM ANALYZE included); {increments.Sum(i => i.Count):N0} held back " +
                         $"in {settings.Increments} increments of {IncrementLength.TotalMinutes:0} min");

        var visits = new PatrolVisitService(db, Options.Create(new VisitOptions()));
        var overdue = new PatrolOverdueService(db, new AlarmStore(db), Options.Create(new PatrolObligationOptions()));
        await PassAsync("first full pass", visits, overdue, cut.AddSeconds(15), ct);
        for (var i = 0; i < increments.Length; i++)
        {
            await CopyPositionsAsync(db, increments[i], receivedAfterFix: TimeSpan.FromSeconds(6), ct);
            await PassAsync($"incremental pass {i + 1}", visits, overdue, cut + (IncrementLength * (i + 1)) + TimeSpan.FromSeconds(15), ct);
        }

        output.WriteLine($"target: incremental pass ≤ 1 s; whole run {clock.Elapsed.TotalSeconds:0} s");
    }

    private async Task PassAsync(string name, PatrolVisitService visits, PatrolOverdueService overdue, DateTime nowUtc, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var v = await visits.RunAsync(nowUtc, ct);
        var visitTime = total.Elapsed;
        var o = await overdue.RunAsync(nowUtc, ct);
        output.WriteLine($"{name}: {total.Elapsed.TotalMilliseconds:N0} ms  (visits {visitTime.TotalMilliseconds:N0} ms: {v.Devices:N0} devices, " +
                         $"{v.Visits:N0} visits; overdue {(total.Elapsed - visitTime).TotalMilliseconds:N0} ms: {o.Shafts.Count:N0} of {o.TotalShafts:N0} shafts re-rated, " +
                         $"{o.Totals.GetValueOrDefault(PatrolStatus.Overdue):N0} overdue, {o.Raised:N0} raised, {o.Escalated:N0} escalated, {o.Ended:N0} ended)");
    }

    /// <summary>Fixes before <paramref name="cut"/> pass through; later ones go to their 5-minute increment.</summary>
    private static IEnumerable<PatrolWorkload.Fix> Split(IEnumerable<PatrolWorkload.Fix> fixes, DateTime cut, List<PatrolWorkload.Fix>[] increments)
    {
        foreach (var fix in fixes)
        {
            if (fix.Time < cut)
            {
                yield return fix;
            }
            else
            {
                increments[Math.Min(increments.Length - 1, (int)((fix.Time - cut) / IncrementLength))].Add(fix);
            }
        }
    }

    internal static async Task<long> CopyPositionsAsync(
        NpgsqlDataSource db, IEnumerable<PatrolWorkload.Fix> fixes, TimeSpan receivedAfterFix, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY position (device_id, fix_time, received_at, geom, accuracy_m, source) FROM STDIN (FORMAT BINARY)", ct);
        long rows = 0;
        foreach (var fix in fixes)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(fix.Device + 1L, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(fix.Time, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(fix.Time + receivedAfterFix, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(GeometryWkb.PointEwkb(fix.Lon, fix.Lat), NpgsqlDbType.Bytea, ct);
            await copy.WriteAsync(fix.AccuracyMetres, NpgsqlDbType.Double, ct);
            await copy.WriteAsync("batch", NpgsqlDbType.Text, ct);
            rows++;
        }

        await copy.CompleteAsync(ct);
        return rows;
    }

    /// <summary>Towns, mines, shafts, one person and phone per device, responsible persons (60 days before the end) and a
    /// lead leader per town over its mines — all by binary COPY with explicit ids (COPY writes identity columns as given).</summary>
    internal static async Task LoadReferenceAsync(NpgsqlDataSource db, PatrolWorkload w, DateTime end, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var from = end.AddDays(-60);
        await CopyAsync(connection, "jurisdiction (id, code, name, level, geom)", w.Towns, async (c, t) =>
        {
            await c.WriteAsync(t.Index + 1L, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync($"T{t.Index:00000}", NpgsqlDbType.Text, ct);
            await c.WriteAsync($"镇{t.Index}", NpgsqlDbType.Text, ct);
            await c.WriteAsync("town", NpgsqlDbType.Text, ct);
            await c.WriteAsync(Square(t.Lon, t.Lat), NpgsqlDbType.Bytea, ct);
        }, ct);
        await CopyAsync(connection, "closed_mine (id, code, name, town_id, closure_status, risk_class, geom)", w.Mines, async (c, m) =>
        {
            await c.WriteAsync(m.Index + 1L, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync($"M{m.Index:000000}", NpgsqlDbType.Text, ct);
            await c.WriteAsync($"矿{m.Index}", NpgsqlDbType.Text, ct);
            await c.WriteAsync(m.Town + 1L, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync(m.Status, NpgsqlDbType.Text, ct);
            await WriteTextOrNullAsync(c, m.RiskClass, ct);
            await c.WriteAsync(GeometryWkb.PointEwkb(m.Lon, m.Lat), NpgsqlDbType.Bytea, ct);
        }, ct);
        await CopyAsync(connection, "sealed_shaft (id, code, mine_id, geom)", w.Shafts, async (c, s) =>
        {
            await c.WriteAsync(s.Index + 1L, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync($"M{s.Mine:000000}-J{s.Index}", NpgsqlDbType.Text, ct);
            await c.WriteAsync(s.Mine + 1L, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync(GeometryWkb.PointEwkb(s.Lon, s.Lat), NpgsqlDbType.Bytea, ct);
        }, ct);

        // Persons 1..devices patrol; persons devices+1.. lead the towns.
        var people = Enumerable.Range(0, w.Devices).Select(d => (Id: d + 1L, Name: $"巡查员{d}"))
            .Concat(w.Towns.Select(t => (Id: w.Devices + t.Index + 1L, Name: $"镇领导{t.Index}"))).ToList();
        await CopyAsync(connection, "person (id, name)", people, async (c, p) =>
        {
            await c.WriteAsync(p.Id, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync(p.Name, NpgsqlDbType.Text, ct);
        }, ct);
        await CopyAsync(connection, "device (id, device_key, kind, owner_person_id)", Enumerable.Range(0, w.Devices), async (c, d) =>
        {
            await c.WriteAsync(d + 1L, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync($"phone-{d}", NpgsqlDbType.Text, ct);
            await c.WriteAsync("patrol_phone", NpgsqlDbType.Text, ct);
            await c.WriteAsync(d + 1L, NpgsqlDbType.Bigint, ct);
        }, ct);
        var assignments = w.Shafts.Select(s => (Person: w.ResponsibleOf[s.Index] + 1L, Role: "responsible_person", Kind: "sealed_shaft", Object: s.Index + 1L))
            .Concat(w.Mines.Select(m => (Person: w.Devices + m.Town + 1L, Role: "lead_leader", Kind: "closed_mine", Object: m.Index + 1L)));
        await CopyAsync(connection, "assignment (person_id, role, object_kind, object_id, valid_from)", assignments, async (c, a) =>
        {
            await c.WriteAsync(a.Person, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync(a.Role, NpgsqlDbType.Text, ct);
            await c.WriteAsync(a.Kind, NpgsqlDbType.Text, ct);
            await c.WriteAsync(a.Object, NpgsqlDbType.Bigint, ct);
            await c.WriteAsync(from, NpgsqlDbType.TimestampTz, ct);
        }, ct);
        await using var sequences = new NpgsqlCommand("""
            SELECT setval(pg_get_serial_sequence('jurisdiction', 'id'), (SELECT max(id) FROM jurisdiction));
            SELECT setval(pg_get_serial_sequence('closed_mine', 'id'), (SELECT max(id) FROM closed_mine));
            SELECT setval(pg_get_serial_sequence('sealed_shaft', 'id'), (SELECT max(id) FROM sealed_shaft));
            SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person));
            SELECT setval(pg_get_serial_sequence('device', 'id'), (SELECT max(id) FROM device));
            ANALYZE;
            """, connection);
        await sequences.ExecuteNonQueryAsync(ct);
    }

    private static async Task CopyAsync<T>(
        NpgsqlConnection connection, string target, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await write(copy, row);
        }

        await copy.CompleteAsync(ct);
    }

    private static Task WriteTextOrNullAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    /// <summary>EWKB of a town: a square MultiPolygon of the town side, EPSG:4490.</summary>
    private static byte[] Square(double lon, double lat)
    {
        const double side = 0.08;
        var f = GeometryWkb.Factory;
        var ring = f.CreateLinearRing([new(lon, lat), new(lon + side, lat), new(lon + side, lat + side), new(lon, lat + side), new(lon, lat)]);
        return GeometryWkb.ToEwkb(f.CreateMultiPolygon([f.CreatePolygon(ring)]));
    }
}
