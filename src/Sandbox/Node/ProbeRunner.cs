using System.Net;
using System.Net.Sockets;
using PgReplica.Sandbox.Networking;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Runs one probe attempt: exec inside the container, a TCP connect, or an HTTP GET, within timeoutSeconds. TCP and
/// HTTP probes come from the node: their sockets carry the node's mark, so no partition ever cuts them (the kubelet
/// probes from the node's own address).
/// </summary>
internal static class ProbeRunner
{
    private const int SolSocket = 1;
    private const int SoMark = 36;

    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = NodeSocket();
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>True when the probe succeeds.</summary>
    public static async Task<bool> RunAsync(ProbeModel probe, ContainerModel container, int pid, IReadOnlyDictionary<string, string> env,
        string workingDir, string? cgroupProcs, IReadOnlyList<string> setpriv, string podIp, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(probe.TimeoutSeconds));
        try
        {
            if (probe.ExecCommand is { Count: > 0 })
            {
                var code = await ContainerExec.RunAsync(pid, workingDir, cgroupProcs, setpriv, env, probe.ExecCommand, null, null, null, false, timeout.Token).ConfigureAwait(false);
                return code == 0;
            }

            if (probe.TcpPort is not null)
            {
                using var socket = NodeSocket();
                await socket.ConnectAsync(new DnsEndPoint(probe.TcpHost ?? podIp, ResolvePort(probe.TcpPort, container)), timeout.Token).ConfigureAwait(false);
                return true;
            }

            if (probe.HttpPort is not null)
            {
                var uri = new Uri($"http://{podIp}:{ResolvePort(probe.HttpPort, container)}{probe.HttpPath}");
                using var response = await Http.GetAsync(uri, timeout.Token).ConfigureAwait(false);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // timed out
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>An IPv4 TCP socket marked as the node's.</summary>
    private static Socket NodeSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetRawSocketOption(SolSocket, SoMark, BitConverter.GetBytes(PodTrafficRules.NodeMark));
        return socket;
    }

    /// <summary>A port given as a number or as the name of one of the container's ports.</summary>
    public static int ResolvePort(string port, ContainerModel container)
    {
        if (int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        foreach (var (name, p) in container.Ports)
        {
            if (name == port)
            {
                return p;
            }
        }

        throw new InvalidOperationException($"container {container.Name} has no port named {port}");
    }
}
