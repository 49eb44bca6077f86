using System.Globalization;
using System.Net;
using System.Text;

namespace PgReplica.Sandbox.Networking;

/// <summary>One Service port as the kernel forwards it: ClusterIP:port to the ready endpoints.</summary>
internal sealed record ForwardedPort(IPAddress ClusterIp, int Port, IReadOnlyList<IPEndPoint> Backends);

/// <summary>
/// Renders the Services as nftables chains, as kube-proxy's nftables mode does: a DNAT on locally generated
/// traffic spreads new connections round-robin over the ready endpoints, so each connection stays one TCP
/// connection from client to pod; a ClusterIP port without endpoints refuses connections (kube-proxy's REJECT).
/// </summary>
internal static class ServiceRules
{
    /// <summary>The table body for the Services of range 127.octet.0.0/16.</summary>
    public static string Render(byte octet, IEnumerable<ForwardedPort> ports)
    {
        var sb = new StringBuilder();
        sb.Append("  chain services {\n    type nat hook output priority -100; policy accept;\n");
        foreach (var p in ports.Where(p => p.Backends.Count > 0)
                     .OrderBy(p => p.ClusterIp.ToString(), StringComparer.Ordinal).ThenBy(p => p.Port))
        {
            sb.Append(CultureInfo.InvariantCulture, $"    ip daddr {p.ClusterIp} tcp dport {p.Port} dnat to ");
            if (p.Backends.Count == 1)
            {
                sb.Append(Target(p.Backends[0]));
            }
            else
            {
                var entries = p.Backends.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{i} : {b.Address} . {b.Port}"));
                sb.Append(CultureInfo.InvariantCulture, $"numgen inc mod {p.Backends.Count} map {{ {string.Join(", ", entries)} }}");
            }

            sb.Append('\n');
        }

        sb.Append("  }\n");
        // After DNAT (priority 0), whatever is still addressed to the range found no endpoint.
        sb.Append("  chain no_endpoints {\n    type filter hook output priority 0; policy accept;\n");
        sb.Append(CultureInfo.InvariantCulture, $"    ip daddr 127.{octet}.0.0/16 meta l4proto tcp reject with tcp reset\n");
        sb.Append("  }\n");
        return sb.ToString();
    }

    private static string Target(IPEndPoint e) => string.Create(CultureInfo.InvariantCulture, $"{e.Address}:{e.Port}");
}
