using System.Globalization;
using System.Net;
using System.Text;

namespace PgReplica.Sandbox.Networking;

/// <summary>A running pod as the kernel tells its connections apart: its address and its cgroup (as nftables names it).</summary>
internal sealed record PodIdentity(IPAddress Ip, string CgroupPath, int CgroupLevel);

/// <summary>A cut between a pod and a peer: another pod, or (Peer null) everything outside the cluster, the operator first.</summary>
internal sealed record Partition(IPAddress Pod, IPAddress? Peer);

/// <summary>
/// Renders the node's rules about pod traffic. Each new connection gets a conntrack mark naming who opened it: a
/// pod (its address, found by its cgroup), the node (its probes, whose sockets carry <see cref="NodeMark"/>), or
/// nobody (0: the operator, a user's psql, anything outside the cluster). A partition then drops every packet, in
/// both directions, of the connections between the two sides, whatever Service they went through: after the
/// Service DNAT a connection's reply source is the pod that serves it.
/// </summary>
internal static class PodTrafficRules
{
    /// <summary>The socket mark of the node's probes, 127.0.0.1 as a number: the kubelet's probes are never cut.</summary>
    public const uint NodeMark = 0x7F000001;

    /// <summary>The table body for the pods of range 127.octet.0.0/16.</summary>
    public static string Render(byte octet, IEnumerable<PodIdentity> pods, IEnumerable<Partition> partitions)
    {
        var sb = new StringBuilder();
        // Before the Service DNAT (-100), so that the first packet is marked before anything looks at it.
        sb.Append("  chain classify {\n    type filter hook output priority -150; policy accept;\n");
        sb.Append(CultureInfo.InvariantCulture, $"    ct state new meta mark {Hex(NodeMark)} ct mark set {Hex(NodeMark)}\n");
        foreach (var p in pods.OrderBy(p => Mark(p.Ip)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"    ct state new socket cgroupv2 level {p.CgroupLevel} \"{p.CgroupPath}\" ct mark set {Hex(Mark(p.Ip))}\n");
        }

        sb.Append("  }\n");
        // After the Service DNAT, so that ct reply saddr is the pod that serves the connection.
        sb.Append("  chain partitions {\n    type filter hook output priority 0; policy accept;\n");
        foreach (var cut in partitions.Distinct().OrderBy(c => Mark(c.Pod)).ThenBy(c => c.Peer is null ? 0 : Mark(c.Peer)))
        {
            var pod = Hex(Mark(cut.Pod));
            if (cut.Peer is { } peer)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    ct mark {pod} ct reply ip saddr {peer} drop\n");
                sb.Append(CultureInfo.InvariantCulture, $"    ct mark {Hex(Mark(peer))} ct reply ip saddr {cut.Pod} drop\n");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"    ct mark 0x00000000 ct reply ip saddr {cut.Pod} drop\n");
                sb.Append(CultureInfo.InvariantCulture, $"    ct mark {pod} ct reply ip saddr != 127.{octet}.0.0/16 drop\n");
            }
        }

        sb.Append("  }\n");
        return sb.ToString();
    }

    /// <summary>An IPv4 address as the 32-bit mark.</summary>
    public static uint Mark(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static string Hex(uint mark) => "0x" + mark.ToString("x8", CultureInfo.InvariantCulture);
}
