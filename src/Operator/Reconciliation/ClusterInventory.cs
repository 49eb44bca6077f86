using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation.Builders;

namespace PgReplica.Operator.Reconciliation;

/// <summary>A cluster's Pods, PVCs and Services (listed once per pass by label), indexed by instance ordinal.</summary>
public sealed class ClusterInventory
{
    private readonly ClusterNames names;

    /// <summary>Indexes the listed objects; only objects controlled by this very resource (uid) count.</summary>
    public ClusterInventory(PostgresReplicaSet cluster, IEnumerable<V1Pod> pods, IEnumerable<V1PersistentVolumeClaim> claims, IEnumerable<V1Service> services)
    {
        names = new ClusterNames(cluster.Metadata.Name!);
        Pods = Index(pods.Where(p => OwnedMetadata.IsOwnedBy(p, cluster)), p => names.OrdinalOf(p.Metadata.Name!));
        Claims = Index(claims.Where(c => OwnedMetadata.IsOwnedBy(c, cluster)), c => ClaimOrdinal(c.Metadata.Name!));
        Services = Index(services.Where(s => OwnedMetadata.IsOwnedBy(s, cluster)), s => names.OrdinalOf(s.Metadata.Name!));
        NamedServices = services.Where(s => OwnedMetadata.IsOwnedBy(s, cluster)).Select(s => s.Metadata.Name!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Pods by ordinal.</summary>
    public IReadOnlyDictionary<int, V1Pod> Pods { get; }

    /// <summary>Data PVCs by ordinal.</summary>
    public IReadOnlyDictionary<int, V1PersistentVolumeClaim> Claims { get; }

    /// <summary>Per-instance Services by ordinal.</summary>
    public IReadOnlyDictionary<int, V1Service> Services { get; }

    /// <summary>Names of all the cluster's Services (-rw and -ro included).</summary>
    public IReadOnlySet<string> NamedServices { get; }

    /// <summary>
    /// The primary's ordinal: the pod labelled role=primary, else the one the status names, else 1
    /// (instance 1 starts as primary).
    /// </summary>
    public int PrimaryOrdinal(PostgresReplicaSetStatus? status)
    {
        var labelled = Pods.Where(p => p.Value.GetLabel(Labels.Role) == Labels.PrimaryRole).Select(p => p.Key).ToList();
        if (labelled.Count == 1) return labelled[0];
        return status?.Primary?.Pod is { } pod && names.OrdinalOf(pod) is { } fromStatus ? fromStatus : 1;
    }

    /// <summary>The ordinals of the cluster's slots among all physical slots on the primary.</summary>
    public IReadOnlySet<int> SlotOrdinals(IEnumerable<ReplicationSlot> slots)
    {
        var prefix = names.Slot(1)[..^1];
        var result = new HashSet<int>();
        foreach (var slot in slots)
        {
            if (!slot.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var digits = slot.Name[prefix.Length..];
            if (digits.Length is > 0 and <= 9 && digits[0] != '0' && digits.All(char.IsAsciiDigit)) result.Add(int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }

    private int? ClaimOrdinal(string claim) =>
        claim.EndsWith("-data", StringComparison.Ordinal) ? names.OrdinalOf(claim[..^"-data".Length]) : null;

    private static Dictionary<int, T> Index<T>(IEnumerable<T> items, Func<T, int?> ordinal)
    {
        var result = new Dictionary<int, T>();
        foreach (var item in items)
        {
            if (ordinal(item) is { } n) result[n] = item;
        }

        return result;
    }
}
