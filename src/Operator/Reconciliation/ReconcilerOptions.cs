namespace PgReplica.Operator.Reconciliation;

/// <summary>Timing of the reconciler.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>How often a healthy cluster is observed again (status, lag, metrics).</summary>
    public TimeSpan ObserveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon a pass that must wait (primary starting, pod terminating, slot in use) runs again.</summary>
    public TimeSpan WaitInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Name of the finalizer on every PostgresReplicaSet.</summary>
    public string Finalizer { get; init; } = PgReplica.Entities.Naming.Labels.Finalizer;
}
