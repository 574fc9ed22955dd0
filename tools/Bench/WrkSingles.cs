using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GeoMine.Viewer.Bench;

/// <summary>
/// Single Traccar requests sent by Debian's <c>wrk</c> (a C load generator: the .NET senders of the ingest bench use a
/// good part of the 2 cores themselves). Each request is one fix of one of 2 000 devices per wrk thread with its own
/// timestamp — what Traccar Client sends (<c>GET /?id=…&amp;timestamp=…&amp;lat=…&amp;lon=…&amp;accuracy=…</c>) — and the figure
/// is what PostgreSQL holds afterwards, per second, with wrk's latency percentiles of the 200s.
/// </summary>
internal static partial class WrkSingles
{
    private const string Script = """
        -- one fix per request, a device of this thread's own and a timestamp from the first argument on (an exact re-send would be stored once)
        local counter = 0
        local thread_id = 0
        local base = 0
        local threads = 0
        function setup(thread) threads = threads + 1; thread:set("tid", tostring(threads)) end
        function init(args) thread_id = tid; base = tonumber(args[1]) end
        function request()
          counter = counter + 1
          local device = "wrk-" .. thread_id .. "-" .. (counter % 2000)
          local t = base + counter
          return wrk.format("GET", "/?id=" .. device .. "&timestamp=" .. t .. "&lat=29.3" .. (counter % 97) .. "&lon=105.9" .. (counter % 89) .. "&accuracy=5")
        end
        """;

    /// <summary>Runs wrk for <paramref name="seconds"/> with <paramref name="connections"/> connections against the feed
    /// port; returns the report lines. Installs wrk (Debian) when missing and running as root.</summary>
    public static async Task RunAsync(
        int port, int connections, int seconds, DateTimeOffset firstFix, Func<Task<long>> stored, TextWriter output, CancellationToken ct)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            using var apt = Process.Start(new ProcessStartInfo("apt-get", ["install", "-y", "-q", "wrk"]) { RedirectStandardOutput = true })!;
            await apt.WaitForExitAsync(ct);
            if (!File.Exists("/usr/bin/wrk"))
            {
                throw new InvalidOperationException("wrk is not installed and apt-get could not install it (run as root, or: apt-get install wrk)");
            }
        }

        var script = Path.Combine(Path.GetTempPath(), $"geomine-wrk-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, Script, ct);
        try
        {
            // First contact: the 4 000 devices are new to the server and registered on the spot (as unknown devices); then the
            // same devices report on. Fix times from firstFix, the measured run's 200 000 s (2.3 days) later, one second
            // apart per thread (at most 150 000 s for 20 s at 15 000/s).
            var firstContact = firstFix.ToUnixTimeSeconds();
            foreach (var (phase, from, duration) in new[] { ("first contact, 4 000 new devices", firstContact, 5), ("known devices", firstContact + 200_000, seconds) })
            {
                var before = await stored();
                // The server runs in this process, beside the bench's own data: its garbage collections pause the server too.
                var (pausedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
                using var wrk = Process.Start(new ProcessStartInfo("/usr/bin/wrk",
                    ["-t2", $"-c{connections}", $"-d{duration}s", "--latency", "-s", script, $"http://127.0.0.1:{port}", "--", from.ToString(CultureInfo.InvariantCulture)])
                    { RedirectStandardOutput = true })!;
                var text = await wrk.StandardOutput.ReadToEndAsync(ct);
                await wrk.WaitForExitAsync(ct);
                var after = await stored();
                var (paused, gen2) = (GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(2) - gen2Before);
                string Find(Regex r) => r.Match(text) is { Success: true } m ? m.Groups[1].Value : "?";
                var errors = NonSuccess().Match(text) is { Success: true } e ? e.Groups[1].Value : "0";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"single (Traccar GET /?id=.., sent by wrk, {connections} connections, {duration} s, {phase}): {(after - before) / (double)duration:N0} positions/s stored; " +
                    $"wrk: {Find(Rate())} requests/s, latency p50 {Find(P50())}, p99 {Find(P99())}, non-2xx {errors}; " +
                    $"this process's GC paused {paused.TotalMilliseconds:N0} ms ({gen2} gen2)   (target ≥ 10,000/s, p99 ≤ 50 ms)"));
            }
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"\s50%\s+(\S+)")]
    private static partial Regex P50();

    [GeneratedRegex(@"\s99%\s+(\S+)")]
    private static partial Regex P99();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
