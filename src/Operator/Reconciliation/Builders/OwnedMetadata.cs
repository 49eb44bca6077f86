using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Operator.Reconciliation.Builders;

/// <summary>Metadata of everything the operator creates: namespace, labels and a controller ownerReference.</summary>
public static class OwnedMetadata
{
    /// <summary>Label saying which program manages an object.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Our value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedBy = "pgreplica";

    /// <summary>The ownerReference that makes garbage collection remove the object with its PostgresReplicaSet.</summary>
    public static V1OwnerReference OwnerOf(PostgresReplicaSet cluster) => new()
    {
        ApiVersion = PostgresReplicaSet.GroupVersion,
        Kind = PostgresReplicaSet.EntityKind,
        Name = cluster.Metadata.Name ?? throw new ArgumentException("the resource has no name", nameof(cluster)),
        Uid = cluster.Metadata.Uid ?? throw new ArgumentException("the resource has no uid", nameof(cluster)),
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>Metadata named name in the cluster's namespace, with the given labels plus managed-by.</summary>
    public static V1ObjectMeta For(PostgresReplicaSet cluster, string name, IReadOnlyDictionary<string, string> labels) => new()
    {
        Name = name,
        NamespaceProperty = cluster.Metadata.NamespaceProperty,
        Labels = new Dictionary<string, string>(labels) { [ManagedByLabel] = ManagedBy },
        OwnerReferences = [OwnerOf(cluster)],
    };

    /// <summary>True when the object's controller ownerReference points at this very resource (same uid).</summary>
    public static bool IsOwnedBy(IKubernetesObject<V1ObjectMeta> obj, PostgresReplicaSet cluster) =>
        obj.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == cluster.Metadata.Uid) == true;
}
