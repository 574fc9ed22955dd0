using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Bench;

/// <summary>The GeoMine server a benchmark measures: the real host on free loopback ports, without the scheduler (the
/// benchmark decides what runs when) and logging warnings only.</summary>
internal static class BenchServer
{
    /// <summary>Starts the server on <paramref name="connectionString"/>; returns it and its root URL. Stop it when done.</summary>
    public static async Task<(WebApplication App, string Root)> StartAsync(string connectionString, CancellationToken ct, int? osmAndPort = null)
    {
        var root = $"http://127.0.0.1:{Ports.Free()}";
        var app = GeoMineWebApp.Build(
            // Every simulated device sends from 127.0.0.1: lift the per-address allowance of new unknown devices (100 an hour,
            // meant for one phone's address), or the workload's 2 000 devices are refused after the first hundred.
            ["--Scheduler:Enabled=false", $"--GeoMine:OsmAndPort={osmAndPort ?? Ports.Free()}", "--Logging:LogLevel:Default=Warning",
             "--Positions:MaxNewUnknownDevicesPerAddressPerHour=1000000", "--Demo:Replay=false"],
            connectionString, root);
        await app.StartAsync(ct);
        return (app, root);
    }
}
