using PgReplica.Kube.Prometheus;
using PgReplica.Operator.Metrics;

namespace PgReplica.Operator.Tests.Metrics;

/// <summary>What the operator exports before its first reconcile: a fresh install with no PostgresReplicaSet.</summary>
public sealed class FreshInstallMetricsTests
{
    // The absent-operator alert is absent(pgreplica_workqueue_depth): the gauge must have a sample from the first scrape.
    [Fact(Skip = "Fails on the hand-written registry (no sample until Set); un-skip with the prometheus-net port, whose unlabelled gauge exports 0 at creation.")]
    public void The_work_queue_depth_is_exported_as_0_before_any_reconcile()
    {
        var metrics = new OperatorMetrics(new CollectorRegistry());

        var body = TextExposition.Write(metrics.Registry);

        Assert.Contains("\npgreplica_workqueue_depth 0\n", body, StringComparison.Ordinal);
    }
}
