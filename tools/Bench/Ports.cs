using System.Net;
using System.Net.Sockets;

namespace GeoMine.Viewer.Bench;

/// <summary>Loopback ports for the servers a benchmark starts.</summary>
internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
