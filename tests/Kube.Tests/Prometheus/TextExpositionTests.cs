using PgReplica.Kube.Prometheus;

namespace PgReplica.Kube.Tests.Prometheus;

public class TextExpositionTests
{
    [Fact]
    public void CounterAndGaugeAreWrittenWithHelpTypeAndLabels()
    {
        var registry = new CollectorRegistry();
        registry.CreateCounter("pgreplica_reconcile_total", "Reconciles by result.", "result").WithLabels("success").Inc(3);
        registry.CreateGauge("pgreplica_workqueue_depth", "Keys waiting.").Set(2);

        var text = TextExposition.Write(registry);

        Assert.Equal(
            "# HELP pgreplica_reconcile_total Reconciles by result.\n" +
            "# TYPE pgreplica_reconcile_total counter\n" +
            "pgreplica_reconcile_total{result=\"success\"} 3\n" +
            "# HELP pgreplica_workqueue_depth Keys waiting.\n" +
            "# TYPE pgreplica_workqueue_depth gauge\n" +
            "pgreplica_workqueue_depth 2\n",
            text);
    }

    [Fact]
    public void LabelValuesAndHelpAreEscaped()
    {
        var registry = new CollectorRegistry();
        registry.CreateGauge("x_bytes", "a \\ b\nc", "standby").WithLabels("q\"uo\\te\nnl").Set(1);

        var text = TextExposition.Write(registry);

        Assert.Contains("# HELP x_bytes a \\\\ b\\nc\n", text);
        Assert.Contains("x_bytes{standby=\"q\\\"uo\\\\te\\nnl\"} 1\n", text);
    }

    [Fact]
    public void HistogramBucketsAreCumulativeWithInfEqualToCount()
    {
        var registry = new CollectorRegistry();
        var h = registry.CreateHistogram("op_duration_seconds", "Durations.", [0.1, 1], "kind");
        h.WithLabels("a").Observe(0.05);
        h.WithLabels("a").Observe(0.5);
        h.WithLabels("a").Observe(5);

        var text = TextExposition.Write(registry);

        Assert.Contains("op_duration_seconds_bucket{kind=\"a\",le=\"0.1\"} 1\n", text);
        Assert.Contains("op_duration_seconds_bucket{kind=\"a\",le=\"1\"} 2\n", text);
        Assert.Contains("op_duration_seconds_bucket{kind=\"a\",le=\"+Inf\"} 3\n", text);
        Assert.Contains("op_duration_seconds_sum{kind=\"a\"} 5.55\n", text);
        Assert.Contains("op_duration_seconds_count{kind=\"a\"} 3\n", text);
    }

    [Theory]
    [InlineData("reconcileTotal")]
    [InlineData("pg:lag_bytes")]
    [InlineData("reconciles")]
    public void CountersWithBadNamesAreRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new CollectorRegistry().CreateCounter(name, "h"));

    [Fact]
    public void GaugeEndingInTotalIsRefused() =>
        Assert.Throws<ArgumentException>(() => new CollectorRegistry().CreateGauge("lag_total", "h"));

    [Fact]
    public void CounterRefusesToGoDown() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CollectorRegistry().CreateCounter("a_total", "h").Inc(-1));

    [Fact]
    public void RemovedSeriesDisappear()
    {
        var registry = new CollectorRegistry();
        var g = registry.CreateGauge("lag_bytes", "h", "standby");
        g.WithLabels("orders-2").Set(1);
        g.WithLabels("orders-3").Set(2);

        g.RemoveLabelled("orders-3");

        var text = TextExposition.Write(registry);
        Assert.Contains("orders-2", text);
        Assert.DoesNotContain("orders-3", text);
    }

    [Fact]
    public void WrongNumberOfLabelValuesIsRefused() =>
        Assert.Throws<ArgumentException>(() => new CollectorRegistry().CreateGauge("g_bytes", "h", "a", "b").WithLabels("only-one"));

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.004, "0.004")]
    [InlineData(16384d, "16384")]
    public void ValuesAreFormattedAsPrometheusExpects(double value, string expected) =>
        Assert.Equal(expected, TextExposition.FormatValue(value));
}
