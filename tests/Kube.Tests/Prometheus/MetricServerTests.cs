using System.Net;
using PgReplica.Kube.Prometheus;

namespace PgReplica.Kube.Tests.Prometheus;

public class MetricServerTests
{
    [Fact]
    public async Task MetricsScrapedOverHttpPassPromtool()
    {
        var registry = new CollectorRegistry();
        registry.CreateCounter("pgreplica_reconcile_total", "Reconciles by result.", "result").WithLabels("error").Inc();
        registry.CreateHistogram("pgreplica_reconcile_duration_seconds", "Reconcile duration.").Observe(0.2);
        registry.CreateGauge("pgreplica_standby_replay_lag_bytes", "Replay lag per standby.", "namespace", "cluster", "standby")
            .WithLabels("default", "orders", "orders-2").Set(16384);
        await using var server = await MetricServer.StartAsync("127.0.0.1:0", registry);
        using var http = new HttpClient { BaseAddress = server.Url };

        using var response = await http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var (exit, output) = await Promtool.CheckMetricsAsync(body);
        Assert.True(exit == 0, $"promtool: {output}\n{body}");
    }

    [Fact]
    public async Task PromtoolRejectsWhatOurNamingRulesForbid()
    {
        // Guards the promtool check itself: a body it must flag, so a silently passing promtool is noticed.
        var (exit, _) = await Promtool.CheckMetricsAsync("# HELP reconcileCount x\n# TYPE reconcileCount counter\nreconcileCount 1\n");
        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task ReadyzFollowsTheReadinessCheck()
    {
        var ready = false;
        await using var server = await MetricServer.StartAsync("127.0.0.1:0", new CollectorRegistry(), () => ready);
        using var http = new HttpClient { BaseAddress = server.Url };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
        ready = true;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0:8080", "0.0.0.0", 8080)]
    [InlineData(":9090", "0.0.0.0", 9090)]
    [InlineData("8081", "0.0.0.0", 8081)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    public void AddressesParse(string address, string ip, int port)
    {
        var endpoint = MetricServer.ParseAddress(address);
        Assert.Equal(IPAddress.Parse(ip), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
    }

    [Fact]
    public void BadAddressIsRefused() => Assert.Throws<FormatException>(() => MetricServer.ParseAddress("host:notaport"));
}
