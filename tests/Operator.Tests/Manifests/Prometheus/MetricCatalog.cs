using System.Text.RegularExpressions;

namespace PgReplica.Operator.Tests.Manifests.Prometheus;

/// <summary>The metric families the operator exports (as issue 6 names them), and the ones a PromQL text uses.</summary>
internal static partial class MetricCatalog
{
    /// <summary>Family name to Prometheus type.</summary>
    public static IReadOnlyDictionary<string, string> Families { get; } = new Dictionary<string, string>
    {
        ["pgreplica_standby_replay_lag_bytes"] = "gauge",
        ["pgreplica_standby_replay_lag_seconds"] = "gauge",
        ["pgreplica_standby_write_lag_seconds"] = "gauge",
        ["pgreplica_standby_flush_lag_seconds"] = "gauge",
        ["pgreplica_standby_streaming"] = "gauge",
        ["pgreplica_slot_retained_wal_bytes"] = "gauge",
        ["pgreplica_slot_active"] = "gauge",
        ["pgreplica_cluster_desired_standbys"] = "gauge",
        ["pgreplica_cluster_ready_standbys"] = "gauge",
        ["pgreplica_reconcile_total"] = "counter",
        ["pgreplica_reconcile_duration_seconds"] = "histogram",
        ["pgreplica_workqueue_depth"] = "gauge",
    };

    /// <summary>Every series name a scrape can hold: families, plus _bucket/_sum/_count for histograms.</summary>
    public static IReadOnlySet<string> SeriesNames { get; } = Families
        .SelectMany(f => f.Value == "histogram" ? new[] { f.Key + "_bucket", f.Key + "_sum", f.Key + "_count" } : [f.Key])
        .ToHashSet();

    /// <summary>The pgreplica_* names a PromQL expression mentions.</summary>
    public static IReadOnlySet<string> NamesIn(string promql) =>
        OperatorMetricName().Matches(promql).Select(m => m.Value).ToHashSet();

    /// <summary>Families the operator's C# source registers (<c>registry.CreateGauge("pgreplica_…"</c>), name to type.</summary>
    public static IReadOnlyDictionary<string, string> FamiliesInOperatorSource() => Directory
        .EnumerateFiles(RepositoryRoot.Combine("src", "Operator"), "*.cs", SearchOption.AllDirectories)
        .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .SelectMany(path => Registration().Matches(File.ReadAllText(path)))
        .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value.ToLowerInvariant());

    [GeneratedRegex(@"\bpgreplica_[a-zA-Z0-9_]+")]
    private static partial Regex OperatorMetricName();

    [GeneratedRegex("Create(?<type>Counter|Gauge|Histogram)\\(\\s*\"(?<name>pgreplica_[a-z0-9_]+)\"")]
    private static partial Regex Registration();
}
