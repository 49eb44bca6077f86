namespace PgReplica.Kube.Runtime;

/// <summary>Lease name and timings for a <see cref="LeaderElector"/> (client-go defaults 15 s / 10 s / 2 s).</summary>
public sealed record LeaderElectionConfig(string LeaseNamespace, string LeaseName, string Identity)
{
    /// <summary>How long a lease stays valid without renewal, judged on the local clock.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader steps down when it cannot renew for this long.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between acquire or renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Write an empty holder on shutdown so another candidate takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
