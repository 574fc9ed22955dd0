using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using GeoMine.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GeoMine.Viewer.Tests.Positions;

/// <summary>The database goes away in the middle of a sustained ingest and comes back.</summary>
public sealed class IngestFaultTests(DedicatedPostgis pg) : IClassFixture<DedicatedPostgis>
{
    [Fact]
    public async Task Ingest_DatabaseStoppedAndRestarted_EverySuccessIsStoredAndDowntimeAnswers503WithRetryAfter()
    {
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("GeoMine:ConnectionString", pg.ConnectionString));
        var outcomes = new ConcurrentBag<(long Second, HttpStatusCode Status, bool RetryAfter)>();
        var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        long next = 0;
        var sending = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // bounded whatever happens

        async Task SendAsync(int sender)
        {
            var client = app.CreateClient(new() { BaseAddress = new Uri("http://localhost:5055") });
            while (!sending.IsCancellationRequested)
            {
                var second = Interlocked.Increment(ref next);
                var stamp = new DateTimeOffset(start.AddSeconds(second)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                try
                {
                    var response = await client.GetAsync($"/?id=fault-{sender}&timestamp={stamp}&lat=29.35&lon=105.90&accuracy=5");
                    outcomes.Add((second, response.StatusCode, response.Headers.RetryAfter is not null));
                }
                catch (HttpRequestException)
                {
                    outcomes.Add((second, 0, false));
                }
            }
        }

        var senders = Enumerable.Range(0, 4).Select(i => Task.Run(() => SendAsync(i))).ToList();
        var warmUp = Stopwatch.StartNew();
        while (outcomes.Count(o => o.Status == HttpStatusCode.OK) < 50 && warmUp.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await pg.Cluster.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await pg.Cluster.StartAsync();
        var restartedAt = Interlocked.Read(ref next);
        var recovery = Stopwatch.StartNew();
        while (!outcomes.Any(o => o.Status == HttpStatusCode.OK && o.Second > restartedAt + 10) && recovery.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }

        await sending.CancelAsync();
        await Task.WhenAll(senders);

        var ok = outcomes.Where(o => o.Status == HttpStatusCode.OK).Select(o => o.Second).ToHashSet();
        var unavailable = outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var stored = (await ScalarAsync<long[]>(
            "SELECT coalesce(array_agg(extract(epoch FROM fix_time - '2026-11-20Z')::bigint), '{}') FROM position")).ToHashSet();

        var timeline = string.Join(" ", outcomes.OrderBy(o => o.Second).Select(o => (int)o.Status));
        Assert.True(ok.Count > 50, $"only {ok.Count} fixes got through: {timeline}");
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, o => Assert.True(o.RetryAfter, "a 503 without Retry-After"));
        Assert.DoesNotContain(outcomes, o => o.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable));
        Assert.Empty(ok.Except(stored)); // every fix answered with success is in the database
        Assert.True(recovery.Elapsed < TimeSpan.FromSeconds(15), "ingest did not recover within 15 s of the restart");
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(pg.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
