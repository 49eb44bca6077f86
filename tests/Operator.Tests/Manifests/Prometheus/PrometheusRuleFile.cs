using System.Text.Json.Nodes;

namespace PgReplica.Operator.Tests.Manifests.Prometheus;

/// <summary>config/prometheus/prometheus_rule.yaml, and its spec written out as a plain Prometheus rule file for promtool.</summary>
internal static class PrometheusRuleFile
{
    /// <summary>The PrometheusRule object.</summary>
    public static JsonNode Load() => YamlDocuments.ParseFile(RepositoryRoot.Combine("config", "prometheus", "prometheus_rule.yaml"));

    /// <summary>Every rule (alerting or recording) of every group.</summary>
    public static IEnumerable<JsonNode> Rules(JsonNode prometheusRule) => prometheusRule["spec"]!["groups"]!.AsArray()
        .SelectMany(group => group!["rules"]!.AsArray()).OfType<JsonNode>();

    /// <summary>Writes <c>spec</c> (its <c>groups</c>) to <paramref name="path"/>; JSON is valid YAML, so promtool reads it.</summary>
    public static void WriteSpec(JsonNode prometheusRule, string path) =>
        File.WriteAllText(path, prometheusRule["spec"]!.ToJsonString());
}
