namespace PgReplica.Operator.Cli;

/// <summary>What <c>pgreplica run</c> was asked to do.</summary>
public sealed record OperatorSettings
{
    /// <summary>Namespace to watch; null watches all.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>host:port of /metrics, /healthz, /readyz.</summary>
    public string MetricsAddress { get; init; } = "0.0.0.0:8080";

    /// <summary>Whether to take a Lease before reconciling (two replicas in a Deployment).</summary>
    public bool LeaderElect { get; init; } = true;

    /// <summary>Namespace of the leader-election Lease.</summary>
    public string LeaseNamespace { get; init; } = "default";

    /// <summary>Name of the leader-election Lease.</summary>
    public string LeaseName { get; init; } = "pgreplica-operator";

    /// <summary>This process's identity in the Lease.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How often a cluster's replication is observed while nothing else changes.</summary>
    public TimeSpan ObserveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shortest time between status writes that only refresh LSN and lag figures.</summary>
    public TimeSpan StatusLagInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Clusters reconciled at once.</summary>
    public int Workers { get; init; } = 2;
}
