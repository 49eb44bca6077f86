namespace PgReplica.Kube.Runtime;

/// <summary>What a <see cref="Watcher{T}"/> watches and how it backs off after errors.</summary>
public sealed record WatcherOptions
{
    /// <summary>Namespace to watch; null for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Label selector for list and watch.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Field selector for list and watch.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Server-side timeout of each watch request (kube-rs uses 290 s, under the usual 300 s proxy limits).</summary>
    public int WatchTimeoutSeconds { get; init; } = 290;

    /// <summary>First delay after a failure.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Longest delay between retries.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called with each error the watcher recovers from (for logging).</summary>
    public Action<Exception>? OnError { get; init; }
}
