using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Positions;
using GeoMine.Viewer.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// <c>geomine bench ingest</c>: drives the real HTTP endpoints of an in-process Kestrel on loopback
/// (bounded in count and time) and compares committed positions/s with a raw binary COPY of the same
/// rows into a table made <c>LIKE position INCLUDING ALL</c> (same columns, checks, indexes, partitioning), in one run, on a
/// throw-away database. Both sides are warmed up and taken at the best of three runs, each after a checkpoint. Workload: many
/// devices each reporting every 5 s in time order; a pushing system sends batches that cover many
/// devices; phones send one fix per request. Default PostgreSQL durability (synchronous commit).
/// </summary>
internal sealed class IngestBenchmark(IngestBenchmark.Settings settings, TextWriter output)
{
    internal sealed record Settings(int Devices, int BatchPositions, int BatchSize, int Singles, int Concurrency, TimeSpan MaxTime, int Seed, bool Direct = false, int WrkConnections = 0);

    private static readonly DateTime Start = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Batch requests sent before the measured run (see the warm-up in <see cref="RunOnAsync"/>).</summary>
    private const int WarmUpRequests = 2000;

    private bool _checkpointRefused;

    public Task RunAsync(string adminConnectionString, CancellationToken ct) =>
        BenchDatabase.RunAsync(adminConnectionString, "geomine_bench", 50, connectionString => RunOnAsync(connectionString, ct), ct);

    private async Task RunOnAsync(string connectionString, CancellationToken ct)
    {
        var osmAndPort = Ports.Free();
        var (app, root) = await BenchServer.StartAsync(connectionString, ct, osmAndPort);
        try
        {
            output.WriteLine($"workload: {settings.Devices} devices reporting every 5 s in time order, positions in the demo county; " +
                             $"batches of {settings.BatchSize} spanning all devices; {settings.Concurrency} concurrent senders; " +
                             "default durability (synchronous_commit on), server on the same 2-core machine");
            var fixes = Track(settings.BatchPositions).ToList();
            using var http = new HttpClient { BaseAddress = new Uri(root) };

            // Bodies are serialised before the clock starts: the sender is another system, not this server's CPU.
            var batches = fixes.Chunk(settings.BatchSize).ToList();
            var bodies = batches.Select(BatchBody).ToList();

            // Warm-up, as on a server that has been running for a while: 2 000 batch requests (2 M positions with the default
            // batch size) under other device keys, in rounds of at most 50, the table emptied after each round so the measured
            // run starts from an empty index like the COPY references. Tiered compilation needs that many: every method of the
            // request pipeline goes Tier0 → instrumented → Tier1 on call counts, one background thread compiles them, and
            // after 200 requests it still took 12 % of the machine during the measured run (perf). Throughput of the rounds
            // keeps rising to about round 30 and then stays level; the JIT never goes fully idle (tens of methods a round).
            var warmUp = batches.Take(Math.Clamp(batches.Count / 8, 1, 50))
                .Select(b => BatchBody(b.Select(f => f with { Device = "warm-up-" + f.Device }))).ToList();
            var warmUpRounds = Math.Max(1, WarmUpRequests / warmUp.Count);
            var warmUpClock = Stopwatch.StartNew();
            for (var round = 1; round <= warmUpRounds && warmUpClock.Elapsed < settings.MaxTime; round++)
            {
                var compiledBefore = JitInfo.GetCompiledMethodCount();
                var warmUpRun = await RunConcurrentAsync(warmUp.Count, async i => await PostBatchAsync(http, warmUp[i], ct), ct);
                await ExecuteAsync(connectionString, "TRUNCATE position", ct);
                if (round == 1 || round % 10 == 0 || round == warmUpRounds)
                {
                    Report($"warm-up round {round} of {warmUpRounds} ({JitInfo.GetCompiledMethodCount() - compiledBefore} methods JIT-compiled)",
                        (long)warmUp.Count * settings.BatchSize, warmUpRun, "requests");
                }
            }

            // Three measured runs, each into an emptied table right after a checkpoint, like every reference run; the best
            // counts, as for the references. Checkpoints come every ~0.5 GB of WAL here (max_wal_size 1 GB), and the
            // full-page images written after one made single runs of either side vary by a third.
            var cpu = await ProcessCpu.ForServerAsync(connectionString, ct);
            var (batchStored, batchRun, batchCpu) = await BestOfThreeAsync(async run =>
            {
                await EmptyAsync(connectionString, "position", ct);
                var cpuBefore = cpu?.Now();
                var timing = await RunConcurrentAsync(batches.Count, async i => await PostBatchAsync(http, bodies[i], ct), ct);
                var used = cpu?.Now() - cpuBefore;
                var stored = await ScalarAsync(connectionString,
                    "SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE p.source = 'batch' AND d.device_key NOT LIKE 'warm-up-%'", ct);
                Report($"batch run {run} of 3", stored, timing, "requests");
                return (Stored: stored, Timing: timing, Cpu: used);
            }, r => r.Stored / r.Timing.Elapsed.TotalSeconds);

            if (settings.Direct)
            {
                // Diagnostic: the same batches straight into the ingestor, no HTTP or JSON.
                var ingestor = app.Services.GetRequiredService<GeoMine.Patrol.Positions.PositionIngestor>();
                var direct = batches.Select(b => b.Select(f => new GeoMine.Patrol.Positions.PositionFix(
                    "direct-" + f.Device, f.Time, f.Lon, f.Lat, f.Altitude, 6, null, null, null, "csv")).ToList()).ToList();
                var directRun = await RunConcurrentAsync(direct.Count, async i => await ingestor.IngestAsync(direct[i], cancellationToken: ct), ct);
                Report("direct (PositionIngestor, no HTTP)", direct.Sum(d => d.Count), directRun, "batches");
            }

            Report("batch  (POST /api/positions), best of 3", batchStored, batchRun, "requests");

            using var phone = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{osmAndPort}") };
            var singles = Track(settings.Singles, offsetSeconds: 86_400).ToList();
            var singleRun = await RunConcurrentAsync(singles.Count, async i => await GetSingleAsync(phone, singles[i], ct), ct);
            var singleStored = await ScalarAsync(connectionString, "SELECT count(*) FROM position WHERE source = 'osmand'", ct);
            Report("single (Traccar GET /?id=..)", singleStored, singleRun, "requests");
            if (settings.WrkConnections > 0)
            {
                // The live detection classifies what the batch runs stored (hundreds of thousands of fixes) before wrk starts: the
                // wrk runs measure the singles, not the classification of an earlier backlog. At most a minute.
                for (var waited = 0; waited < 600 && await ScalarAsync(connectionString,
                         "SELECT count(*) FROM position WHERE received_at > coalesce((SELECT upto FROM job_watermark WHERE job = 'boundary-check'), '-infinity')", ct) > 0; waited++)
                {
                    await Task.Delay(100, ct);
                }

                // wrk's fixes are from four days ago on; their months' partitions exist beforehand, as the server makes them for the
                // current month at start (a partition created under load stalls every writer until it is there).
                var firstFix = DateTimeOffset.UtcNow.AddDays(-4);
                await app.Services.GetRequiredService<GeoMine.Patrol.Positions.PositionPartitions>()
                    .EnsureAsync([firstFix.UtcDateTime, DateTime.UtcNow], ct);
                await WrkSingles.RunAsync(osmAndPort, settings.WrkConnections, 20, firstFix,
                    () => ScalarAsync(connectionString, "SELECT count(*) FROM position WHERE source = 'osmand'", ct), output, ct);
            }

            await CreateCopyTableAsync(connectionString, ct);
            var ids = await DeviceIdsAsync(connectionString, ct);
            // Each reference is warmed up like the server (one untimed run) and then taken at its best of three runs: the
            // ceiling the server is compared with, not a disturbed or half-compiled run of it.
            var (oneCopy, _) = await BestCopyAsync(() => RawCopyAsync(connectionString, ids, [fixes], 1, cpu, ct));
            var (batchedCopy, _) = await BestCopyAsync(() => RawCopyAsync(connectionString, ids, batches, settings.Concurrency, cpu, ct));
            var (batchedRawCopy, rawCopyCpu) = await BestCopyAsync(() => RawCopyAsync(connectionString, ids, batches, settings.Concurrency, cpu, ct, encodeRows: true));
            var batchRate = batchStored / batchRun.Elapsed.TotalSeconds;
            output.WriteLine("raw binary COPY references, each the best of three runs after an untimed one:");
            output.WriteLine(FormattableString.Invariant(
                $"raw binary COPY of the same {fixes.Count:N0} rows, one transaction: {oneCopy:N0} rows/s (one commit: not comparable to per-request durability)"));
            output.WriteLine(FormattableString.Invariant(
                $"raw binary COPY of the same rows in the same {settings.BatchSize}-row committed transactions on {settings.Concurrency} connections: {batchedCopy:N0} rows/s"));
            output.WriteLine(FormattableString.Invariant(
                $"the same, rows encoded by the ingestor's own PositionCopyRows (raw COPY stream, as the server writes them): {batchedRawCopy:N0} rows/s"));
            output.WriteLine(FormattableString.Invariant(
                $"batch ingest / raw COPY at the same commit granularity = {batchRate / batchedCopy:P0} (/ the same with the server's encoder: {batchRate / batchedRawCopy:P0}); / single-transaction COPY = {batchRate / oneCopy:P0}   (targets: ≥ 50,000 positions/s and ≥ 50 % of COPY)"));
            if (batchCpu is { } b && rawCopyCpu is { } r)
            {
                // Where the difference goes: both sides share the same 2 cores, so CPU is what throughput is made of.
                var perBatch = 100_000.0 / batchStored;
                var perCopy = 100_000.0 / fixes.Count;
                output.WriteLine(FormattableString.Invariant(
                    $"CPU seconds per 100,000 positions, PostgreSQL server / this process (GeoMine server and the senders): batch ingest {b.Server * perBatch:F2} / {b.Self * perBatch:F2}; own-encoder COPY reference {r.Server * perCopy:F2} / {r.Self * perCopy:F2}"));
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private void Report(string what, long stored, (TimeSpan Elapsed, List<double> LatenciesMs) run, string unit)
    {
        var sorted = run.LatenciesMs.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {stored:N0} positions committed in {run.Elapsed.TotalSeconds:F2} s = {stored / run.Elapsed.TotalSeconds:N0} positions/s; {sorted.Count:N0} {unit}, latency p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms"));
    }

    private async Task<(TimeSpan Elapsed, List<double> LatenciesMs)> RunConcurrentAsync(int count, Func<int, Task> send, CancellationToken ct)
    {
        var latencies = new List<double>[settings.Concurrency];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(worker => Task.Run(async () =>
        {
            latencies[worker] = [];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && clock.Elapsed < settings.MaxTime)
            {
                var t = Stopwatch.GetTimestamp();
                await send(i);
                latencies[worker].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }, ct)));
        return (clock.Elapsed, latencies.SelectMany(l => l).ToList());
    }

    private static byte[] BatchBody(IEnumerable<Fix> batch)
    {
        var json = new StringBuilder(120_000).Append('[');
        foreach (var f in batch)
        {
            json.Append(CultureInfo.InvariantCulture,
                $"{{\"device_id\":\"{f.Device}\",\"time\":\"{f.Time:yyyy-MM-ddTHH:mm:ssZ}\",\"lon\":{f.Lon:R},\"lat\":{f.Lat:R},\"altitude_m\":{f.Altitude:R},\"accuracy_m\":6}},");
        }

        json[^1] = ']';
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static async Task PostBatchAsync(HttpClient http, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/api/positions", content, ct);
        response.EnsureSuccessStatusCode();
    }

    private static async Task GetSingleAsync(HttpClient http, Fix f, CancellationToken ct)
    {
        var stamp = new DateTimeOffset(f.Time).ToUnixTimeSeconds();
        using var response = await http.GetAsync(string.Create(CultureInfo.InvariantCulture,
            $"/?id={f.Device}&timestamp={stamp}&lat={f.Lat:R}&lon={f.Lon:R}&altitude={f.Altitude:R}&accuracy=6&speed=1.5"), ct);
        response.EnsureSuccessStatusCode();
    }

    private static Task CreateCopyTableAsync(string connectionString, CancellationToken ct) => ExecuteAsync(connectionString, """
        DROP TABLE IF EXISTS bench_copy;
        CREATE TABLE bench_copy (LIKE position INCLUDING ALL) PARTITION BY RANGE (fix_time); -- same columns, defaults, checks and indexes
        CREATE TABLE bench_copy_2026_11 PARTITION OF bench_copy FOR VALUES FROM ('2026-11-01Z') TO ('2026-12-01Z');
        """, ct);

    private static async Task<Dictionary<string, long>> DeviceIdsAsync(string connectionString, CancellationToken ct)
    {
        var ids = new Dictionary<string, long>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var select = new NpgsqlCommand("SELECT device_key, id FROM device", connection);
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids[reader.GetString(0)] = reader.GetInt64(1);
        }

        return ids;
    }

    /// <summary>A COPY reference: one untimed run, then the best of three.</summary>
    private static async Task<(double RowsPerSecond, ProcessCpu.Reading? Cpu)> BestCopyAsync(Func<Task<(double RowsPerSecond, ProcessCpu.Reading? Cpu)>> copy)
    {
        await copy();
        return await BestOfThreeAsync(_ => copy(), r => r.RowsPerSecond);
    }

    /// <summary>Runs <paramref name="measure"/> three times (numbered 1–3) and returns the run with the highest <paramref name="rate"/>.</summary>
    private static async Task<T> BestOfThreeAsync<T>(Func<int, Task<T>> measure, Func<T, double> rate)
    {
        var best = await measure(1);
        for (var run = 2; run <= 3; run++)
        {
            var result = await measure(run);
            if (rate(result) > rate(best))
            {
                best = result;
            }
        }

        return best;
    }

    /// <summary>Rows/s of binary COPY of <paramref name="chunks"/>, each in its own committed transaction,
    /// on <paramref name="connections"/> connections at once; the table is emptied first. Rows are written with Npgsql's
    /// typed importer, or with <paramref name="encodeRows"/> encoded by <see cref="PositionCopyRows"/> into a raw COPY stream.</summary>
    private async Task<(double RowsPerSecond, ProcessCpu.Reading? Cpu)> RawCopyAsync(
        string connectionString, Dictionary<string, long> ids, IReadOnlyList<IReadOnlyList<Fix>> chunks, int connections, ProcessCpu? cpu,
        CancellationToken ct, bool encodeRows = false)
    {
        await EmptyAsync(connectionString, "bench_copy", ct);
        var next = -1;
        var cpuBefore = cpu?.Now();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            int i;
            while ((i = Interlocked.Increment(ref next)) < chunks.Count)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                if (encodeRows)
                {
                    using var rows = new PositionCopyRows(chunks[i].Count);
                    foreach (var f in chunks[i])
                    {
                        rows.Add(ids[f.Device], f.Time, f.Lon, f.Lat, f.Altitude, 6.0, null, null, null, "batch");
                    }

                    await using (var raw = await connection.BeginRawBinaryCopyAsync($"COPY bench_copy ({PositionCopyRows.Columns}) FROM STDIN (FORMAT BINARY)", ct))
                    {
                        await raw.WriteAsync(rows.Complete(), ct);
                    }

                    await transaction.CommitAsync(ct);
                    continue;
                }

                await using (var copy = await connection.BeginBinaryImportAsync(
                    "COPY bench_copy (device_id, fix_time, geom, altitude_m, accuracy_m, source) FROM STDIN (FORMAT BINARY)", ct))
                {
                    foreach (var f in chunks[i])
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(ids[f.Device], NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(f.Time, NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync(GeometryWkb.PointEwkb(f.Lon, f.Lat), NpgsqlDbType.Bytea, ct);
                        await copy.WriteAsync(f.Altitude, NpgsqlDbType.Double, ct);
                        await copy.WriteAsync(6.0, NpgsqlDbType.Double, ct);
                        await copy.WriteAsync("batch", NpgsqlDbType.Text, ct);
                    }

                    await copy.CompleteAsync(ct);
                }

                await transaction.CommitAsync(ct);
            }
        }, ct)));
        var elapsed = clock.Elapsed;
        return (chunks.Sum(c => c.Count) / elapsed.TotalSeconds, cpu?.Now() - cpuBefore);
    }

    private sealed record Fix(string Device, DateTime Time, double Lon, double Lat, double Altitude);

    /// <summary>Fixes in time order: every device reports every 5 s, walking a few metres each time.</summary>
    private IEnumerable<Fix> Track(int count, int offsetSeconds = 0)
    {
        var random = new Random(settings.Seed + offsetSeconds);
        var home = Enumerable.Range(0, settings.Devices)
            .Select(_ => (Lon: 105.75 + random.NextDouble() * 0.3, Lat: 29.15 + random.NextDouble() * 0.3)).ToArray();
        for (var i = 0; i < count; i++)
        {
            var device = i % settings.Devices;
            var step = i / settings.Devices;
            var (lon, lat) = home[device];
            yield return new Fix($"bench-{device:00000}", Start.AddSeconds(offsetSeconds + step * 5), lon + step * 2e-5, lat + Math.Sin(step / 10.0) * 1e-4, 300 + step % 7);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct) => BenchDatabase.ScalarAsync(connectionString, sql, ct);

    private static Task ExecuteAsync(string connectionString, string sql, CancellationToken ct) => BenchDatabase.ExecuteAsync(connectionString, sql, ct);

    /// <summary>Empties <paramref name="table"/> and checkpoints, so that every timed run starts from the same state: an
    /// empty index and a fresh checkpoint (the first change of each page after it writes a full-page image). A role
    /// without the right to checkpoint (neither superuser nor pg_checkpoint) gets the emptying alone.</summary>
    private async Task EmptyAsync(string connectionString, string table, CancellationToken ct)
    {
        await ExecuteAsync(connectionString, $"TRUNCATE {table}", ct);
        try
        {
            await ExecuteAsync(connectionString, "CHECKPOINT", ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            if (!_checkpointRefused)
            {
                output.WriteLine($"note: runs are not preceded by a checkpoint ({e.MessageText})");
                _checkpointRefused = true;
            }
        }
    }
}
