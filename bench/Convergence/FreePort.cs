using System.Net;
using System.Net.Sockets;

namespace PgReplica.Bench.Convergence;

/// <summary>A TCP port nobody listens on right now, for the hand-made servers.</summary>
public static class FreePort
{
    /// <summary>Asks the kernel for a free port on <paramref name="address"/> and releases it.</summary>
    public static int Pick(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
