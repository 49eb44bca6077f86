using PgReplica.Entities.Crd;
using k8s.Models;
using PgReplica.Kube.Client;

namespace PgReplica.Entities.V1Alpha1;

/// <summary>A PostgreSQL primary with a declared number of streaming-replication standbys.</summary>
[KubernetesEntity(Group = "pgreplica.io", ApiVersion = "v1alpha1", Kind = "PostgresReplicaSet", PluralName = "postgresreplicasets")]
[ShortNames("pgrs")]
[StatusSubresource]
[ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector")]
[Description("PostgresReplicaSet runs a PostgreSQL primary and a declared number of streaming-replication "
    + "standbys, each on its own pod and volume, with a read-write Service <name>-rw and a read-only Service <name>-ro.")]
[Validation(
    "self.metadata.name.size() <= 50 && self.metadata.name.matches('" + Patterns.Dns1035Label + "')",
    "metadata.name must start with a letter, contain only lower-case letters, digits and '-', and be at most "
    + "50 characters: pod, Service and replication slot names are derived from it")]
[PrinterColumn("Age", JsonPath = ".metadata.creationTimestamp", Type = "date", Order = 6)]
public sealed class PostgresReplicaSet : CustomKubernetesEntity<PostgresReplicaSetSpec, PostgresReplicaSetStatus>
{
    /// <summary>The API group.</summary>
    public const string Group = "pgreplica.io";

    /// <summary>The API version within the group.</summary>
    public const string Version = "v1alpha1";

    /// <summary>group/version, the value of apiVersion.</summary>
    public const string GroupVersion = Group + "/" + Version;

    /// <summary>The kind.</summary>
    public const string EntityKind = "PostgresReplicaSet";

    /// <summary>The plural used in URLs.</summary>
    public const string Plural = "postgresreplicasets";

    /// <summary>A resource with apiVersion and kind already set.</summary>
    public PostgresReplicaSet()
    {
        ApiVersion = GroupVersion;
        Kind = EntityKind;
    }
}
