using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// Listens on one ClusterIP:port and hands each new connection to the next backend, round-robin
/// (kube-proxy's job). A backend change affects only new connections; open ones run on.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private IReadOnlyList<IPEndPoint> _backends = [];
    private int _next = -1;
    private Task _accepting = Task.CompletedTask;

    /// <summary>Binds the address (throws if it cannot).</summary>
    public TcpProxy(IPEndPoint listen)
    {
        Listen = listen;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(listen);
        _listener.Listen(512);
    }

    /// <summary>The ClusterIP and port.</summary>
    public IPEndPoint Listen { get; }

    /// <summary>The backends new connections go to.</summary>
    public IReadOnlyList<IPEndPoint> Backends
    {
        get => Volatile.Read(ref _backends);
        set => Volatile.Write(ref _backends, value);
    }

    /// <summary>Starts accepting.</summary>
    public void Start() => _accepting = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        _open[client] = 0;
        Socket? upstream = null;
        try
        {
            client.NoDelay = true;
            var backends = Backends;
            var first = Interlocked.Increment(ref _next);
            // Like the userspace kube-proxy: try the chosen backend, then the others, before giving up.
            for (var i = 0; i < backends.Count && upstream is null; i++)
            {
                var target = backends[(int)((uint)(first + i) % (uint)backends.Count)];
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    await s.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
                    upstream = s;
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    s.Dispose();
                }
            }

            if (upstream is null)
            {
                return; // No endpoint: the client sees the connection close, as with a Service without endpoints.
            }

            _open[upstream] = 0;
            await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client)).ConfigureAwait(false);
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            if (upstream is not null)
            {
                _open.TryRemove(upstream, out _);
                upstream.Dispose();
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side went away: end both directions.
            try
            {
                to.Shutdown(SocketShutdown.Both);
                from.Shutdown(SocketShutdown.Both);
            }
            catch (Exception inner) when (inner is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }

    /// <summary>Stops listening and closes every proxied connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var s in _open.Keys)
        {
            s.Dispose();
        }

        _stop.Dispose();
    }
}
