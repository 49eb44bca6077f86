using PgReplica.Entities.Naming;

namespace PgReplica.Operator.Security;

/// <summary>The DNS names a cluster's server certificate must carry: every Service and pod, in each form cluster DNS resolves.</summary>
public static class ServerCertificateNames
{
    /// <summary>The cluster DNS domain when the cluster does not say otherwise (kubelet's <c>--cluster-domain</c>).</summary>
    public const string DefaultClusterDomain = "cluster.local";

    /// <summary>
    /// <c>&lt;name&gt;-rw</c>, <c>&lt;name&gt;-ro</c> and <c>&lt;name&gt;-&lt;n&gt;</c> for each ordinal (primary and standbys),
    /// each bare and with <c>.ns</c>, <c>.ns.svc</c> and <c>.ns.svc.&lt;domain&gt;</c>: a client inside the namespace,
    /// outside it, and a standby's <c>primary_conninfo</c> may use any of them with <c>sslmode=verify-full</c>.
    /// </summary>
    public static IReadOnlyList<string> For(string cluster, string @namespace, IEnumerable<int> ordinals, string clusterDomain = DefaultClusterDomain)
    {
        var names = new ClusterNames(cluster);
        if (!IsDns1123Label(@namespace))
        {
            throw new ArgumentException($"invalid namespace \"{@namespace}\": must be a lower case RFC 1123 label", nameof(@namespace));
        }

        if (!clusterDomain.Split('.').All(IsDns1123Label))
        {
            throw new ArgumentException($"invalid cluster domain \"{clusterDomain}\"", nameof(clusterDomain));
        }

        var hosts = new[] { names.ReadWriteService, names.ReadOnlyService }
            .Concat(ordinals.Distinct().Order().Select(names.Pod));
        return hosts
            .SelectMany(host => new[]
            {
                host,
                $"{host}.{@namespace}",
                $"{host}.{@namespace}.svc",
                $"{host}.{@namespace}.svc.{clusterDomain}",
            })
            .ToList();
    }

    private static bool IsDns1123Label(string label) =>
        label.Length is > 0 and <= ResourceNames.MaxLabelLength
        && (char.IsAsciiLetterLower(label[0]) || char.IsAsciiDigit(label[0]))
        && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
