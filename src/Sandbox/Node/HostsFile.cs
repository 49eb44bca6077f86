using System.Text;

namespace PgReplica.Sandbox.Node;

/// <summary>A Service name and the addresses it resolves to inside pods.</summary>
internal sealed record ServiceAddress(string Namespace, string Name, IReadOnlyList<string> Addresses);

/// <summary>
/// Builds a pod's /etc/hosts: the pod's own names, then every Service as svc (same namespace only), svc.ns,
/// svc.ns.svc and svc.ns.svc.cluster.local, standing in for cluster DNS.
/// </summary>
internal static class HostsFile
{
    /// <summary>The file's text. localhost resolves to the pod IP because the pod's servers listen only there.</summary>
    public static string Build(string podNamespace, string hostname, string podIp, IEnumerable<ServiceAddress> services)
    {
        var sb = new StringBuilder();
        sb.Append("# written by the pgreplica sandbox node agent\n");
        sb.Append(podIp).Append("\tlocalhost ").Append(hostname).Append('\n');
        sb.Append("::1\tip6-localhost ip6-loopback\n");
        foreach (var s in services.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var names = s.Namespace == podNamespace
                ? $"{s.Name}.{s.Namespace}.svc.cluster.local {s.Name}.{s.Namespace}.svc {s.Name}.{s.Namespace} {s.Name}"
                : $"{s.Name}.{s.Namespace}.svc.cluster.local {s.Name}.{s.Namespace}.svc {s.Name}.{s.Namespace}";
            foreach (var a in s.Addresses)
            {
                sb.Append(a).Append('\t').Append(names).Append('\n');
            }
        }

        return sb.ToString();
    }
}
