using System.Net;
using System.Net.Sockets;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// Marks a 127.X.0.0/16 range as taken by this process: a listening socket on 127.X.0.0:9, an address no pod or
/// Service gets. Binding it is atomic, so two sandboxes cannot take one range; it goes when the process dies, so
/// a range left by a crash is free again; and <see cref="LoopbackRanges.InUse"/> sees it, as any sandbox that looks
/// for listening sockets does. With kernel forwarding a Service range has no listener of its own to show.
/// </summary>
internal sealed class RangeClaim : IDisposable
{
    private const int MarkerPort = 9;
    private readonly Socket _socket;

    private RangeClaim(Socket socket, byte octet)
    {
        _socket = socket;
        Octet = octet;
    }

    /// <summary>The claimed range's second octet.</summary>
    public byte Octet { get; }

    /// <summary>Claims the range, or null when another process holds it.</summary>
    public static RangeClaim? TryTake(byte octet)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(new IPAddress(new byte[] { 127, octet, 0, 0 }), MarkerPort));
            socket.Listen(1);
            return new RangeClaim(socket, octet);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Claims the range, waiting a little for a sandbox that only checks it; throws when it stays taken.</summary>
    public static async Task<RangeClaim> TakeAsync(byte octet, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (TryTake(octet) is { } claim)
            {
                return claim;
            }

            if (attempt == 20)
            {
                throw new InvalidOperationException($"127.{octet}.0.0/16 is in use by another sandbox on this machine");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
