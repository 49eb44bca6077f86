using Prometheus;
using PgReplica.Operator.Metrics;

namespace PgReplica.Operator.Tests.Metrics;

public class OperatorMetricsTests
{
    [Fact]
    public async Task EachStandbyGetsItsOwnSeriesWithNamespaceClusterAndStandbyLabels()
    {
        var metrics = new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry());

        metrics.PublishCluster("default", "orders", 2, 1,
        [
            new StandbySample("orders-2", 16384, 0.004, 0.001, 0.002, true, 32768, true),
            new StandbySample("orders-3", 0, 0, 0, 0, false, 0, false),
        ]);

        var text = await Scrape.TextAsync(metrics.Registry);
        Assert.Contains("pgreplica_standby_replay_lag_bytes{namespace=\"default\",cluster=\"orders\",standby=\"orders-2\"} 16384\n", text);
        Assert.Contains("pgreplica_standby_streaming{namespace=\"default\",cluster=\"orders\",standby=\"orders-3\"} 0\n", text);
        Assert.Contains("pgreplica_slot_retained_wal_bytes{namespace=\"default\",cluster=\"orders\",standby=\"orders-2\"} 32768\n", text);
        Assert.Contains("pgreplica_cluster_desired_standbys{namespace=\"default\",cluster=\"orders\"} 2\n", text);
        Assert.Contains("pgreplica_cluster_ready_standbys{namespace=\"default\",cluster=\"orders\"} 1\n", text);
    }

    [Fact]
    public async Task ScaledAwayStandbysAndDeletedClustersLeaveNoSeries()
    {
        var metrics = new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry());
        metrics.PublishCluster("default", "orders", 2, 2, [Sample("orders-2"), Sample("orders-3")]);
        metrics.PublishCluster("default", "billing", 1, 1, [Sample("billing-2")]);

        metrics.PublishCluster("default", "orders", 1, 1, [Sample("orders-2")]);
        var afterScale = await Scrape.TextAsync(metrics.Registry);
        metrics.ForgetCluster("default", "billing");
        var afterDelete = await Scrape.TextAsync(metrics.Registry);

        Assert.DoesNotContain("orders-3", afterScale);
        Assert.Contains("orders-2", afterScale);
        Assert.Contains("billing-2", afterScale);
        Assert.DoesNotContain("billing", afterDelete);
    }

    [Fact]
    public async Task ReconcilesAreCountedByResultWithDurations()
    {
        var metrics = new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry());

        metrics.ReconcileCompleted("success", TimeSpan.FromMilliseconds(20));
        metrics.ReconcileCompleted("requeue", TimeSpan.FromMilliseconds(3));
        metrics.QueueDepth(4);

        var text = await Scrape.TextAsync(metrics.Registry);
        Assert.Contains("pgreplica_reconcile_total{result=\"success\"} 1\n", text);
        Assert.Contains("pgreplica_reconcile_total{result=\"requeue\"} 1\n", text);
        Assert.Contains("pgreplica_reconcile_duration_seconds_count 2\n", text);
        Assert.Contains("pgreplica_workqueue_depth 4\n", text);
    }

    private static StandbySample Sample(string name) => new(name, 0, 0, 0, 0, true, 0, true);
}

public class OperatorMetricsPromtoolTests
{
    [Fact]
    public async Task EveryOperatorFamilyPassesPromtool()
    {
        var metrics = new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry());
        metrics.ReconcileCompleted("success", TimeSpan.FromMilliseconds(12));
        metrics.QueueDepth(1);
        metrics.PublishCluster("default", "orders", 2, 2,
            [new StandbySample("orders-2", 1, 0.1, 0.1, 0.1, true, 1, true), new StandbySample("orders-3", 0, 0, 0, 0, true, 0, true)]);

        var body = await Scrape.TextAsync(metrics.Registry);
        var (exit, output) = await Promtool.CheckMetricsAsync(body);

        Assert.True(exit == 0, $"promtool: {output}\n{body}");
    }
}
