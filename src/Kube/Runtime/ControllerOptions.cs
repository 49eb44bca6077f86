namespace PgReplica.Kube.Runtime;

/// <summary>How a <see cref="Controller{TEntity}"/> watches and schedules reconciles.</summary>
public sealed record ControllerOptions
{
    /// <summary>Namespace to watch (entity and owned kinds); null for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Label selector for the entity watch.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Reconciles running at once (never two for the same key).</summary>
    public int MaxConcurrentReconciles { get; init; } = 2;

    /// <summary>Every cached entity is queued again this often; null turns resync off.</summary>
    public TimeSpan? ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>First back-off after a failed reconcile.</summary>
    public TimeSpan ErrorBackoffBase { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Longest back-off after repeated failures.</summary>
    public TimeSpan ErrorBackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Watcher settings (timeouts, back-off); namespace and selector come from this record.</summary>
    public WatcherOptions Watcher { get; init; } = new();
}

/// <summary>How one reconcile ended.</summary>
public enum ReconcileOutcome
{
    /// <summary>Returned <see cref="ReconcileResult.Done"/>.</summary>
    Success,

    /// <summary>Returned a requeue-after.</summary>
    Requeue,

    /// <summary>Threw; requeued with back-off.</summary>
    Error,

    /// <summary>The entity was gone; DeletedAsync ran.</summary>
    Deleted,
}

/// <summary>One reconcile, for metrics and logs.</summary>
public sealed record ReconcileReport(ObjectRef Key, ReconcileOutcome Outcome, TimeSpan Duration, Exception? Error);
