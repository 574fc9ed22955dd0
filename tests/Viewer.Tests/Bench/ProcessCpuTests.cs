using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GeoMine.TestSupport;
using GeoMine.Viewer.Bench;
using Npgsql;

namespace GeoMine.Viewer.Tests.Bench;

/// <summary>
/// The CPU accounting <c>bench ingest</c> prints. Other tests run at the same time on the same server and in this process,
/// so only lower bounds hold; the references are PostgreSQL's own resource usage of the backend
/// (<c>log_statement_stats</c>) and the runtime's <see cref="Process.TotalProcessorTime"/>.
/// </summary>
public sealed partial class ProcessCpuTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    /// <summary>Reading times come in 10 ms ticks; two readings lose at most one each.</summary>
    private const double Tick = 0.02;

    [Fact]
    public async Task Now_CountsTheServersBackendAndThisProcess()
    {
        var ct = CancellationToken.None;
        var clock = await ProcessCpu.ForServerAsync(db.ConnectionString, ct);
        Assert.NotNull(clock); // the test server runs on this machine

        // The statistics come as the detail of a LOG notice, which Npgsql passes on only when asked to.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { IncludeErrorDetail = true }.ConnectionString);
        await connection.OpenAsync(ct);
        // One notice per protocol message (PARSE/BIND/EXECUTE MESSAGE STATISTICS), each with that message's usage.
        var usage = new List<string>();
        connection.Notice += (_, e) =>
        {
            if (e.Notice.MessageText.EndsWith("STATISTICS", StringComparison.Ordinal) && e.Notice.Detail is { } detail)
            {
                usage.Add(detail);
            }
        };
        await using (var set = new NpgsqlCommand("SET log_statement_stats = on; SET client_min_messages = log", connection))
        {
            await set.ExecuteNonQueryAsync(ct);
        }

        usage.Clear();
        var before = clock.Now();
        await using (var busy = new NpgsqlCommand("SELECT count(*) FROM generate_series(1, 4000000) WHERE random() >= 0", connection))
        {
            await busy.ExecuteScalarAsync(ct);
        }

        var server = (clock.Now() - before).Server;
        var backendSeconds = usage.Select(u => Usage().Match(u)).Where(m => m.Success)
            .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(backendSeconds > 0.2, $"the query was meant to keep the backend busy: {string.Join(" / ", usage)}");
        Assert.True(server >= backendSeconds - Tick, $"server CPU {server:F2} s, the backend alone {backendSeconds:F2} s");

        // This process: spin until the runtime says it used 0.5 s more CPU, between two readings.
        var self0 = clock.Now();
        var total0 = Process.GetCurrentProcess().TotalProcessorTime;
        while ((Process.GetCurrentProcess().TotalProcessorTime - total0).TotalSeconds < 0.5)
        {
            Thread.SpinWait(10_000);
        }

        var self = (clock.Now() - self0).Self;
        Assert.True(self >= 0.5 - Tick, $"this process: {self:F2} s by /proc, at least 0.5 s by the runtime");
    }

    [GeneratedRegex(@"([0-9.]+) s user, ([0-9.]+) s system")]
    private static partial Regex Usage();
}
