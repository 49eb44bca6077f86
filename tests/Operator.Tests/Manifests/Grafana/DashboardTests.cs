using System.Text.Json.Nodes;
using PgReplica.Operator.Tests.Manifests.Kustomize;
using PgReplica.Operator.Tests.Manifests.Prometheus;

namespace PgReplica.Operator.Tests.Manifests.Grafana;

/// <summary>The Grafana dashboard parses, queries only the operator's metrics with PromQL that promtool accepts, and shows lag per standby.</summary>
public sealed class DashboardTests
{
    private readonly JsonNode _dashboard = Dashboard.Load();

    [Fact]
    public void TheDashboardHasAnIdentityAndPanels()
    {
        Assert.Equal("pgreplica", _dashboard["uid"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(_dashboard["title"]!.GetValue<string>()));
        Assert.Contains(Dashboard.Panels(_dashboard), panel => Dashboard.Targets(panel).Any());
    }

    [Fact]
    public void EveryQueryUsesOnlyTheOperatorsMetrics()
    {
        var texts = Dashboard.Expressions(_dashboard).Concat(Dashboard.VariableQueries(_dashboard)).ToList();

        Assert.NotEmpty(texts);
        Assert.All(texts, text =>
        {
            var names = MetricCatalog.NamesIn(text);
            Assert.NotEmpty(names);
            Assert.Subset(MetricCatalog.SeriesNames.ToHashSet(), names.ToHashSet());
        });
    }

    [Fact]
    public void EveryMetricTheOperatorExportsIsOnTheDashboard()
    {
        var shown = Dashboard.Expressions(_dashboard).SelectMany(MetricCatalog.NamesIn).ToHashSet();

        Assert.All(MetricCatalog.Families.Keys, family =>
            Assert.Contains(shown, name => name == family || name.StartsWith(family + "_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PromtoolAcceptsEveryQuery()
    {
        var queries = Dashboard.Expressions(_dashboard)
            .Concat(Dashboard.VariableQueries(_dashboard).Select(Dashboard.SelectorOf))
            .Select(Dashboard.Substitute)
            .ToList();
        // promtool parses PromQL only inside rule files, so each query becomes a recording rule.
        var rules = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "dashboard",
                ["rules"] = new JsonArray(queries.Select((q, i) => (JsonNode)new JsonObject
                {
                    ["record"] = $"dashboard_query_{i}",
                    ["expr"] = q,
                }).ToArray()),
            }),
        };
        var folder = Directory.CreateTempSubdirectory("pgreplica-dashboard-");
        try
        {
            var path = Path.Combine(folder.FullName, "queries.yaml");
            await File.WriteAllTextAsync(path, rules.ToJsonString());

            var result = await ExternalCommand.RunAsync("promtool", ["check", "rules", path]);

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"SUCCESS: {queries.Count} rules found", result.Stdout + result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("pgreplica_standby_replay_lag_bytes")]
    [InlineData("pgreplica_standby_replay_lag_seconds")]
    [InlineData("pgreplica_standby_write_lag_seconds")]
    [InlineData("pgreplica_standby_flush_lag_seconds")]
    [InlineData("pgreplica_slot_retained_wal_bytes")]
    public void APanelDrawsOneLinePerStandby(string metric)
    {
        var targets = Dashboard.Panels(_dashboard).SelectMany(Dashboard.Targets)
            .Where(t => MetricCatalog.NamesIn(t["expr"]!.GetValue<string>()).Contains(metric))
            .ToList();

        Assert.NotEmpty(targets);
        Assert.All(targets, target =>
        {
            var expr = target["expr"]!.GetValue<string>();
            // An aggregation that keeps `standby` (or none at all) leaves one series per standby.
            Assert.True(!expr.Contains(" by (", StringComparison.Ordinal) || expr.Contains("standby)", StringComparison.Ordinal), expr);
            Assert.Contains("{{standby}}", target["legendFormat"]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void PanelsDoNotOverlap()
    {
        var boxes = Dashboard.Panels(_dashboard).Select(p => p["gridPos"]!)
            .Select(g => (X: g["x"]!.GetValue<int>(), Y: g["y"]!.GetValue<int>(), W: g["w"]!.GetValue<int>(), H: g["h"]!.GetValue<int>()))
            .ToList();

        Assert.All(boxes, b => Assert.InRange(b.X + b.W, 1, 24));
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels {i} and {j} overlap");
            }
        }
    }

    [Fact]
    public async Task TheGrafanaKustomizationShipsTheDashboardAsASidecarConfigMap()
    {
        var build = await KustomizeBuild.RenderAsync(RepositoryRoot.Combine("config", "grafana"));
        var map = build.Single("ConfigMap");

        Assert.Equal("1", map["metadata"]!["labels"]!["grafana_dashboard"]!.GetValue<string>());
        Assert.Equal(RenderedDefault.OperatorNamespace, KustomizeBuild.Namespace(map));
        var shipped = JsonNode.Parse(map["data"]!["pgreplica-dashboard.json"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(_dashboard, shipped));
    }
}
