using Microsoft.AspNetCore.Builder;
using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;

namespace GeoMine.Viewer.Tests;

/// <summary>The real server on a free loopback port, scheduler off, for clients that speak real HTTP (GDAL, QGIS,
/// Chromium). Stopped by <see cref="StopAsync"/> or when disposed, once.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private LoopbackServer(WebApplication app, int port) => (_app, Port) = (app, port);

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string Root => $"http://127.0.0.1:{Port}";

    /// <summary>Starts the server; <paramref name="settings"/> are more command-line settings (<c>--Section:Key=value</c>).</summary>
    public static async Task<LoopbackServer> StartAsync(PostgisFixture db, params string[] settings)
    {
        var port = FreePort.Next();
        // OsmAndPort=0: any free port for the feed, since a fixed one can be taken meanwhile.
        var app = GeoMineWebApp.Build(["--Scheduler:Enabled=false", "--GeoMine:OsmAndPort=0", .. settings], db.ConnectionString, $"http://127.0.0.1:{port}");
        await app.StartAsync();
        return new LoopbackServer(app, port);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
