using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Status;

/// <summary>Everything one pass saw, from which the status is computed without further I/O.</summary>
/// <param name="Cluster">The resource as reconciled.</param>
/// <param name="PrimaryOrdinal">Ordinal of the primary instance.</param>
/// <param name="PrimaryPod">The primary's pod, if it exists.</param>
/// <param name="PrimaryAcceptsConnections">True when the primary answered as a read-write server.</param>
/// <param name="Replication">The one-query observation, or null when the primary could not be asked.</param>
/// <param name="WantedStandbys">Standby ordinals the scale plan keeps or creates.</param>
/// <param name="RemovingStandbys">Standby ordinals being removed.</param>
/// <param name="StandbyPods">Standby pods by ordinal.</param>
/// <param name="Problems">Refused input (spec rule violations, operator-owned parameters), reported as SpecInvalid.</param>
public sealed record ClusterSnapshot(
    PostgresReplicaSet Cluster,
    int PrimaryOrdinal,
    V1Pod? PrimaryPod,
    bool PrimaryAcceptsConnections,
    ReplicationObservation? Replication,
    IReadOnlyList<int> WantedStandbys,
    IReadOnlyList<int> RemovingStandbys,
    IReadOnlyDictionary<int, V1Pod> StandbyPods,
    IReadOnlyList<string> Problems);
