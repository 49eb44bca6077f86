namespace PgReplica.Entities.Naming;

/// <summary>
/// Every name derived from a cluster's name, in one place: instances are numbered from 1 and named by
/// ordinal, never by role, because roles move on failover. Names are derived, never stored.
/// </summary>
public sealed record ClusterNames
{
    /// <summary>Names for a cluster; throws when the name is not a valid cluster name.</summary>
    public ClusterNames(string cluster)
    {
        if (ResourceNames.ClusterNameError(cluster) is { } error)
        {
            throw new ArgumentException($"invalid PostgresReplicaSet name \"{cluster}\": {error}", nameof(cluster));
        }

        Cluster = cluster;
    }

    /// <summary>The PostgresReplicaSet's metadata.name.</summary>
    public string Cluster { get; }

    /// <summary>Service in front of the primary: <c>&lt;name&gt;-rw</c>.</summary>
    public string ReadWriteService => Cluster + "-rw";

    /// <summary>Service over the ready standbys: <c>&lt;name&gt;-ro</c>.</summary>
    public string ReadOnlyService => Cluster + "-ro";

    /// <summary>Secret holding the replication user's password: <c>&lt;name&gt;-replication</c>.</summary>
    public string ReplicationSecret => Cluster + "-replication";

    /// <summary>Pod of instance n: <c>&lt;name&gt;-&lt;n&gt;</c>.</summary>
    public string Pod(int ordinal) => Cluster + "-" + CheckOrdinal(ordinal);

    /// <summary>Per-standby Service, named like its pod so that <c>&lt;name&gt;-&lt;n&gt;</c> resolves to it.</summary>
    public string InstanceService(int ordinal) => Pod(ordinal);

    /// <summary>Volume claim holding instance n's data directory: <c>&lt;name&gt;-&lt;n&gt;-data</c>.</summary>
    public string DataVolumeClaim(int ordinal) => Pod(ordinal) + "-data";

    /// <summary>Physical replication slot of instance n: <c>&lt;name&gt;_&lt;n&gt;</c>, '-' turned into '_'.</summary>
    public string Slot(int ordinal) => SlotNames.For(Cluster, CheckOrdinal(ordinal));

    /// <summary>Selector of every object of the cluster: <c>pgreplica.io/cluster=&lt;name&gt;</c>.</summary>
    public string ClusterSelector => $"{Labels.Cluster}={Cluster}";

    /// <summary>Selector of the standby pods (status.selector, for the scale subresource).</summary>
    public string StandbySelector => $"{Labels.Cluster}={Cluster},{Labels.Role}={Labels.StandbyRole}";

    /// <summary>Selector of the primary pod (the <c>-rw</c> Service's selector as a string).</summary>
    public string PrimarySelector => $"{Labels.Cluster}={Cluster},{Labels.Role}={Labels.PrimaryRole}";

    /// <summary>Labels shared by everything of the cluster.</summary>
    public IReadOnlyDictionary<string, string> ClusterLabels() =>
        new Dictionary<string, string> { [Labels.Cluster] = Cluster };

    /// <summary>Labels of instance n's pod in the given role (<see cref="Labels.PrimaryRole"/> or <see cref="Labels.StandbyRole"/>).</summary>
    public IReadOnlyDictionary<string, string> InstanceLabels(int ordinal, string role)
    {
        if (role is not (Labels.PrimaryRole or Labels.StandbyRole))
        {
            throw new ArgumentException($"role must be {Labels.PrimaryRole} or {Labels.StandbyRole}, got \"{role}\"", nameof(role));
        }

        return new Dictionary<string, string>
        {
            [Labels.Cluster] = Cluster,
            [Labels.Role] = role,
            [Labels.Instance] = Pod(ordinal),
        };
    }

    /// <summary>The ordinal of one of this cluster's pods (or per-instance Services), or null for any other name.</summary>
    public int? OrdinalOf(string podName)
    {
        var prefix = Cluster + "-";
        if (!podName.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = podName[prefix.Length..];
        return digits.Length is > 0 and <= 10 && digits[0] != '0' && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : null;
    }

    private static int CheckOrdinal(int ordinal) => ordinal >= 1
        ? ordinal
        : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, "instance ordinals start at 1");
}
