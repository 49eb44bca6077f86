using PgReplica.Entities.V1Alpha1;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>Where the reconciler sends Kubernetes Events about a cluster (the runtime's EventRecorder in production).</summary>
public interface IClusterEvents
{
    /// <summary>Records one Event on the PostgresReplicaSet; failures to record must not fail the pass.</summary>
    Task RecordAsync(PostgresReplicaSet cluster, ClusterEvent clusterEvent, CancellationToken cancellationToken);
}

/// <summary>Per-cluster replication figures for the metrics endpoint (implemented in src/Operator/Metrics).</summary>
public interface IReplicationMetrics
{
    /// <summary>Publishes the cluster's figures after a pass observed it; standbys absent from status lose their series.</summary>
    void Publish(string ns, string cluster, int desiredStandbys, PostgresReplicaSetStatus status);

    /// <summary>Removes every series of a deleted cluster.</summary>
    void Forget(string ns, string cluster);
}

/// <summary>Metrics that go nowhere, for tests and tools that do not serve /metrics.</summary>
public sealed class NoReplicationMetrics : IReplicationMetrics
{
    /// <inheritdoc />
    public void Publish(string ns, string cluster, int desiredStandbys, PostgresReplicaSetStatus status)
    {
    }

    /// <inheritdoc />
    public void Forget(string ns, string cluster)
    {
    }
}
