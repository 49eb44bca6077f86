using System.Text.Json.Nodes;
using PgReplica.Operator.Tests.Manifests.Kustomize;

namespace PgReplica.Operator.Tests.Manifests.Prometheus;

/// <summary>The PrometheusRule is valid for promtool, its alerts fire when they should (promtool's unit tests), and it uses only the operator's metrics.</summary>
public sealed class PrometheusRuleTests
{
    private readonly JsonNode _rule = PrometheusRuleFile.Load();

    [Fact]
    public async Task PromtoolAcceptsTheRules()
    {
        var folder = Directory.CreateTempSubdirectory("pgreplica-rules-");
        try
        {
            var rules = Path.Combine(folder.FullName, "rules.yaml");
            PrometheusRuleFile.WriteSpec(_rule, rules);

            var result = await ExternalCommand.RunAsync("promtool", ["check", "rules", rules]);

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"SUCCESS: {PrometheusRuleFile.Rules(_rule).Count()} rules found", result.Stdout + result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PromtoolCatchesABrokenExpression()
    {
        var folder = Directory.CreateTempSubdirectory("pgreplica-rules-");
        try
        {
            var broken = _rule.DeepClone();
            PrometheusRuleFile.Rules(broken).First()["expr"] = "max by (namespace (pgreplica_standby_streaming)";
            var rules = Path.Combine(folder.FullName, "rules.yaml");
            PrometheusRuleFile.WriteSpec(broken, rules);

            var result = await ExternalCommand.RunAsync("promtool", ["check", "rules", rules]);

            Assert.NotEqual(0, result.ExitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheAlertsFireWhenAndOnlyWhenTheUnitTestsSay()
    {
        var folder = Directory.CreateTempSubdirectory("pgreplica-rules-");
        try
        {
            PrometheusRuleFile.WriteSpec(_rule, Path.Combine(folder.FullName, "rules.yaml"));
            var tests = Path.Combine(folder.FullName, "alerts.test.yaml");
            File.Copy(RepositoryRoot.Combine("tests", "Operator.Tests", "Manifests", "Prometheus", "alerts.test.yaml"), tests);

            var result = await ExternalCommand.RunAsync("promtool", ["test", "rules", tests], folder.FullName);

            Assert.True(result.ExitCode == 0, result.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void EveryExpressionUsesOnlyTheOperatorsMetrics()
    {
        Assert.All(PrometheusRuleFile.Rules(_rule), rule =>
        {
            var names = MetricCatalog.NamesIn(rule["expr"]!.GetValue<string>());
            Assert.NotEmpty(names);
            Assert.Subset(MetricCatalog.SeriesNames.ToHashSet(), names.ToHashSet());
        });
    }

    [Theory]
    [InlineData("pgreplica_standby_streaming")]
    [InlineData("pgreplica_standby_replay_lag_bytes")]
    [InlineData("pgreplica_standby_replay_lag_seconds")]
    [InlineData("pgreplica_slot_retained_wal_bytes")]
    [InlineData("pgreplica_cluster_ready_standbys")]
    public void SomeAlertWatches(string metric)
    {
        Assert.Contains(PrometheusRuleFile.Rules(_rule), rule =>
            rule["alert"] is not null && MetricCatalog.NamesIn(rule["expr"]!.GetValue<string>()).Contains(metric));
    }

    [Fact]
    public void EveryAlertHasASeverityAndASummary()
    {
        Assert.All(PrometheusRuleFile.Rules(_rule), rule =>
        {
            Assert.NotNull(rule["alert"]);
            Assert.Contains(rule["labels"]?["severity"]?.GetValue<string>(), new[] { "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(rule["annotations"]?["summary"]?.GetValue<string>()));
        });
    }

    [Fact]
    public async Task ThePodMonitorScrapesTheOperatorsMetricsPortKeepingItsLabels()
    {
        var monitoring = await KustomizeBuild.RenderAsync(RepositoryRoot.Combine("config", "prometheus"));
        var manager = await KustomizeBuild.RenderAsync(RepositoryRoot.Combine("config", "default"));
        var monitor = monitoring.Single("PodMonitor");
        var template = manager.Single("Deployment")["spec"]!["template"]!;
        var portNames = template["spec"]!["containers"]!.AsArray()
            .SelectMany(c => c!["ports"]!.AsArray()).Select(p => p!["name"]!.GetValue<string>());

        Assert.All(monitoring.Objects, o => Assert.Equal(RenderedDefault.OperatorNamespace, KustomizeBuild.Namespace(o)));
        Assert.All(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), pair =>
            Assert.Equal(pair.Value!.GetValue<string>(), template["metadata"]!["labels"]![pair.Key]?.GetValue<string>()));
        var endpoint = Assert.Single(monitor["spec"]!["podMetricsEndpoints"]!.AsArray())!;
        Assert.Contains(endpoint["port"]!.GetValue<string>(), portNames);
        Assert.Equal("/metrics", endpoint["path"]!.GetValue<string>());
        // The metrics' own `namespace` label names the PostgresReplicaSet's namespace, not the operator's.
        Assert.True(endpoint["honorLabels"]!.GetValue<bool>());
        Assert.Single(monitoring.OfKind("PrometheusRule"));
    }
}
