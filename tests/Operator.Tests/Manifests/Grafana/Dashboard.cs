using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PgReplica.Operator.Tests.Manifests.Grafana;

/// <summary>config/grafana/pgreplica-dashboard.json: its panels, their PromQL, and that PromQL with Grafana's variables filled in.</summary>
internal static partial class Dashboard
{
    /// <summary>The dashboard file's path.</summary>
    public static string FilePath => RepositoryRoot.Combine("config", "grafana", "pgreplica-dashboard.json");

    /// <summary>The parsed dashboard (throws on invalid JSON).</summary>
    public static JsonNode Load() => JsonNode.Parse(File.ReadAllText(FilePath))!;

    /// <summary>Every panel, rows' nested panels included.</summary>
    public static IEnumerable<JsonNode> Panels(JsonNode dashboard) => dashboard["panels"]!.AsArray().OfType<JsonNode>()
        .SelectMany(panel => new[] { panel }.Concat(panel["panels"]?.AsArray().OfType<JsonNode>() ?? []));

    /// <summary>Every query target of a panel.</summary>
    public static IEnumerable<JsonNode> Targets(JsonNode panel) => panel["targets"]?.AsArray().OfType<JsonNode>() ?? [];

    /// <summary>Every panel target's PromQL expression.</summary>
    public static IEnumerable<string> Expressions(JsonNode dashboard) => Panels(dashboard)
        .SelectMany(Targets).Select(t => t["expr"]!.GetValue<string>());

    /// <summary>The query variables' <c>label_values(…)</c> texts.</summary>
    public static IEnumerable<string> VariableQueries(JsonNode dashboard) => dashboard["templating"]!["list"]!.AsArray()
        .Where(v => v!["type"]!.GetValue<string>() == "query")
        .Select(v => v!["definition"]!.GetValue<string>());

    /// <summary>An expression as Prometheus would receive it: Grafana's interval and template variables replaced.</summary>
    public static string Substitute(string expr) =>
        TemplateVariable().Replace(expr.Replace("$__rate_interval", "5m", StringComparison.Ordinal), "x");

    /// <summary>The selector a <c>label_values(selector, label)</c> query asks Prometheus for, as an instant query.</summary>
    public static string SelectorOf(string labelValuesQuery)
    {
        var match = LabelValues().Match(labelValuesQuery);
        return match.Success ? match.Groups["selector"].Value : throw new FormatException(labelValuesQuery);
    }

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex TemplateVariable();

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$")]
    private static partial Regex LabelValues();
}
