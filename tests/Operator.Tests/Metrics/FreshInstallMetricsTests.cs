using PgReplica.Operator.Metrics;

namespace PgReplica.Operator.Tests.Metrics;

/// <summary>What the operator exports before its first reconcile: a fresh install with no PostgresReplicaSet.</summary>
public sealed class FreshInstallMetricsTests
{
    // The absent-operator alert is absent(pgreplica_workqueue_depth): the gauge must have a sample from the first scrape.
    [Fact]
    public async Task The_work_queue_depth_is_exported_as_0_before_any_reconcile()
    {
        var metrics = new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry());

        var body = await Scrape.TextAsync(metrics.Registry);

        Assert.Contains("\npgreplica_workqueue_depth 0\n", body, StringComparison.Ordinal);
    }
}
