namespace PgReplica.Operator.Reconciliation;

/// <summary>Timing of the reconciler.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>How often a healthy cluster is observed again (status, lag, metrics).</summary>
    public TimeSpan ObserveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon a pass that must wait (primary starting, pod terminating, slot in use) runs again.</summary>
    public TimeSpan WaitInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Shortest time between two status writes that only refresh LSN and lag figures (metrics stay live).</summary>
    public TimeSpan StatusLagInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a pass that the API refused (403 Forbidden, 422 Invalid) is tried again: not hot, a person must act.</summary>
    public TimeSpan RefusedRetryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Name of the finalizer on every PostgresReplicaSet.</summary>
    public string Finalizer { get; init; } = PgReplica.Entities.Naming.Labels.Finalizer;
}
