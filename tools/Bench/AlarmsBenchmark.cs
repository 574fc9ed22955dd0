using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.Patrol.Devices;
using GeoMine.Viewer.Hosting.Database;
using Npgsql;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// How soon an alarm is committed after the fix that makes it, while the server is busy: the demo county in a throw-away
/// database, GeoMine on loopback (live detection on, scheduler off), patrol phones sending batches and single Traccar
/// requests at the asked rates (they raise nothing), and every second a probe: an excavator bound to its licence sends 12
/// fixes 5 km outside it in one request (越界 opens after 10), and the clock runs from that request's 200 until the
/// out-of-boundary alarm row is visible (polled every 20 ms). Reports the achieved background rates and the probes'
/// latency p50 / p99 / max.
/// </summary>
internal static class AlarmsBenchmark
{
    private const string Licence = "C5001182019081130160072";

    public static async Task RunAsync(string adminConnectionString, int batchFixesPerSecond, int singlesPerSecond, int probes, TextWriter output, CancellationToken ct)
    {
        await BenchDatabase.RunAsync(adminConnectionString, "geomine_bench_alarms", 64, async connectionString =>
        {
            await CountyDataSet.ImportAsync(connectionString, Path.Combine(GeoMineHome.Root, "data", "shapefiles"), ct);
            var db = GeoDataSource.For(connectionString);
            var registry = new DeviceRegistry(db, TimeProvider.System);
            const int phones = 1000;
            for (var i = 0; i < phones; i++)
            {
                await registry.AddAsync($"bg-{i}", "patrol_phone");
            }

            for (var p = 0; p < probes; p++)
            {
                await registry.AddAsync($"probe-{p}", "equipment", licenceNo: Licence);
            }

            double[] centre;
            await using (var command = db.CreateCommand("SELECT ARRAY[ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))] FROM mining_right WHERE licence_no = $1"))
            {
                command.Parameters.Add(new() { Value = Licence });
                centre = (double[])(await command.ExecuteScalarAsync(ct))!;
            }

            var feedPort = Ports.Free();
            var (app, root) = await BenchServer.StartAsync(connectionString, ct, feedPort);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(root) };
                using var phone = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{feedPort}") };
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                long batchFixes = 0, singles = 0;
                var random = new Random(1);
                var started = Stopwatch.StartNew();

                // Background: batches of 1 000 fixes and single requests, each paced to its rate.
                var batchLoad = Paced(Math.Max(1, batchFixesPerSecond / 1000.0), 8, stop.Token, async () =>
                {
                    var now = DateTime.UtcNow;
                    var body = new StringBuilder("[");
                    for (var k = 0; k < 1000; k++)
                    {
                        var device = Random.Shared.Next(phones);
                        body.Append(k == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"device_id\":\"bg-{device}\",\"time\":\"{now.AddMilliseconds(-k):O}\",")
                            .Append(CultureInfo.InvariantCulture, $"\"lon\":{105.60 + (device % 40 * 0.01):R},\"lat\":{29.10 + (device / 40 * 0.01):R},\"accuracy_m\":6}}");
                    }

                    using var content = new StringContent(body.Append(']').ToString(), Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync("/api/positions", content, stop.Token);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Add(ref batchFixes, 1000);
                });
                var singleLoad = Paced(singlesPerSecond, 32, stop.Token, async () =>
                {
                    var device = Random.Shared.Next(phones);
                    var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    using var response = await phone.GetAsync(string.Create(CultureInfo.InvariantCulture,
                        $"/?id=bg-{device}&timestamp={stamp}&lat={29.10 + (device / 40 * 0.01) + 0.0001:R}&lon={105.60 + (device % 40 * 0.01):R}&accuracy=6"), stop.Token);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref singles);
                });

                await Task.Delay(TimeSpan.FromSeconds(5), ct); // the load settles
                var latencies = new List<double>();
                await using var poll = await db.OpenConnectionAsync(ct);
                for (var p = 0; p < probes; p++)
                {
                    var device = await ScalarAsync<long>(poll, $"SELECT id FROM device WHERE device_key = 'probe-{p}'", ct);
                    var now = DateTime.UtcNow;
                    var body = "[" + string.Join(",", Enumerable.Range(0, 12).Select(k => string.Create(CultureInfo.InvariantCulture,
                        $"{{\"device_id\":\"probe-{p}\",\"time\":\"{now.AddSeconds(k - 12):O}\",\"lon\":{centre[0] + 0.05 + (k * 1e-5):R},\"lat\":{centre[1]:R},\"accuracy_m\":5}}"))) + "]";
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync("/api/positions", content, ct);
                    response.EnsureSuccessStatusCode();
                    var clock = Stopwatch.StartNew(); // from the sender's 200
                    while (await ScalarAsync<long>(poll, $"SELECT count(*) FROM alarm WHERE device_id = {device} AND kind = 'out_of_boundary'", ct) == 0)
                    {
                        if (clock.Elapsed > TimeSpan.FromSeconds(60))
                        {
                            throw new InvalidOperationException($"probe {p}: no alarm 60 s after its 200");
                        }

                        await Task.Delay(20, ct);
                    }

                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }

                var seconds = started.Elapsed.TotalSeconds;
                await stop.CancelAsync();
                await Task.WhenAll(batchLoad.ContinueWith(_ => { }), singleLoad.ContinueWith(_ => { }));
                latencies.Sort();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"workload: the demo county; {phones} patrol phones sending batches of 1 000 fixes (asked {batchFixesPerSecond:N0} fixes/s) and single Traccar requests (asked {singlesPerSecond:N0}/s); live detection on, scheduler off; 2 cores shared by everything"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"background achieved: {batchFixes / seconds:N0} batched fixes/s, {singles / seconds:N0} single requests/s over {seconds:N0} s"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{probes} probes, sender's 200 → 越界 alarm row visible: p50 {Percentile(latencies, 0.5):N0} ms, p99 {Percentile(latencies, 0.99):N0} ms, max {latencies[^1]:N0} ms   (target p99 ≤ 2 000 ms)"));
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }, ct);
    }

    /// <summary>Runs <paramref name="send"/> about <paramref name="perSecond"/> times a second on up to
    /// <paramref name="concurrency"/> senders, until <paramref name="ct"/> ends.</summary>
    private static Task Paced(double perSecond, int concurrency, CancellationToken ct, Func<Task> send) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var interval = TimeSpan.FromSeconds(concurrency / perSecond);
            var next = Stopwatch.GetTimestamp();
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await send();
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;
                }

                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }));

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
