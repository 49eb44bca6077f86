using PgReplica.Entities.V1Alpha1;
using PgReplica.Operator.Reconciliation;

namespace PgReplica.Operator.Metrics;

/// <summary>Turns each observed cluster status into the per-standby Prometheus series.</summary>
public sealed class ReplicationMetricsPublisher(OperatorMetrics metrics) : IReplicationMetrics
{
    /// <inheritdoc />
    public void Publish(string ns, string cluster, int desiredStandbys, PostgresReplicaSetStatus status)
    {
        var samples = (status.Standbys ?? []).Select(s => new StandbySample(
            s.Name,
            s.ReplayLagBytes ?? 0,
            s.ReplayLagSeconds ?? 0,
            s.WriteLagSeconds ?? 0,
            s.FlushLagSeconds ?? 0,
            s.State == "streaming",
            s.SlotRetainedWalBytes ?? 0,
            s.SlotActive ?? false)).ToList();
        metrics.PublishCluster(ns, cluster, desiredStandbys, status.ReadyReplicas, samples);
    }

    /// <inheritdoc />
    public void Forget(string ns, string cluster) => metrics.ForgetCluster(ns, cluster);
}
