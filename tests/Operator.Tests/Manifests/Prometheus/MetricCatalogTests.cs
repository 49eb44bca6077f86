namespace PgReplica.Operator.Tests.Manifests.Prometheus;

/// <summary>The metric names the alerts and the dashboard rely on are the ones the operator registers, with the same types.</summary>
public sealed class MetricCatalogTests
{
    [Fact]
    public void TheOperatorRegistersExactlyTheCatalogsFamilies()
    {
        var registered = MetricCatalog.FamiliesInOperatorSource();

        Assert.Equal(MetricCatalog.Families.OrderBy(f => f.Key), registered.OrderBy(f => f.Key));
    }

    [Theory]
    [InlineData("max(pgreplica_standby_streaming{standby=\"a\"}) > pgreplica_cluster_ready_standbys", "pgreplica_cluster_ready_standbys,pgreplica_standby_streaming")]
    [InlineData("rate(pgreplica_reconcile_duration_seconds_bucket[5m])", "pgreplica_reconcile_duration_seconds_bucket")]
    [InlineData("up{job=\"pgreplica\"}", "")]
    public void NamesInFindsEveryOperatorMetric(string promql, string expected)
    {
        Assert.Equal(expected, string.Join(',', MetricCatalog.NamesIn(promql).Order()));
    }
}
