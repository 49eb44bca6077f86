using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>coordination.k8s.io/v1 Lease, the leader-election record.</summary>
[KubernetesEntity(Group = "coordination.k8s.io", ApiVersion = "v1", Kind = "Lease", PluralName = "leases")]
public sealed class Lease : KubernetesObject
{
    /// <summary>A Lease with apiVersion and kind filled in.</summary>
    public Lease()
    {
        ApiVersion = "coordination.k8s.io/v1";
        Kind = "Lease";
    }

    [JsonPropertyName("spec")] public LeaseSpec? Spec { get; set; }
}

/// <summary>coordination.k8s.io/v1 LeaseSpec; times are MicroTime.</summary>
public sealed class LeaseSpec
{
    [JsonPropertyName("holderIdentity")] public string? HolderIdentity { get; set; }
    [JsonPropertyName("leaseDurationSeconds")] public int? LeaseDurationSeconds { get; set; }

    [JsonPropertyName("acquireTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonPropertyName("renewTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    [JsonPropertyName("leaseTransitions")] public int? LeaseTransitions { get; set; }
}
