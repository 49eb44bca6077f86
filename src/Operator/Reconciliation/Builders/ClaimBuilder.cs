using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Operator.Reconciliation.Builders;

/// <summary>The PersistentVolumeClaim holding one instance's data directory.</summary>
public static class ClaimBuilder
{
    /// <summary>A ReadWriteOnce claim of spec.storage.size for instance ordinal.</summary>
    public static V1PersistentVolumeClaim Build(PostgresReplicaSet cluster, int ordinal)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        var labels = new Dictionary<string, string>(names.ClusterLabels()) { [Labels.Instance] = names.Pod(ordinal) };
        return new V1PersistentVolumeClaim
        {
            Metadata = OwnedMetadata.For(cluster, names.DataVolumeClaim(ordinal), labels),
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = cluster.Spec.Storage.StorageClassName,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(cluster.Spec.Storage.Size) } },
            },
        };
    }
}
