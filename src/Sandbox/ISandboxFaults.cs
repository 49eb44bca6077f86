namespace PgReplica.Sandbox;

/// <summary>
/// Faults a cluster can suffer, on demand, for tests and for labs: network partitions, frozen containers, killed
/// processes. Partitions and freezes last until healed or thawed (or the sandbox stops); a kill is over at once.
/// </summary>
public interface ISandboxFaults
{
    /// <summary>
    /// Cuts the pod off from peer, another pod of its namespace; with peer null, from everything outside the cluster
    /// (the operator, a psql on the host) while its traffic with other pods, replication included, still flows.
    /// Probes from the node are never cut.
    /// </summary>
    Task PartitionAsync(string ns, string pod, string? peer, CancellationToken cancellationToken = default);

    /// <summary>Ends the partitions that involve the pod; with pod null, every partition.</summary>
    Task HealAsync(string ns, string? pod, CancellationToken cancellationToken = default);

    /// <summary>Freezes every process of a running container (its cgroup's freezer, as a container runtime's pause); container null picks the default one.</summary>
    Task FreezeAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default);

    /// <summary>Thaws a frozen container.</summary>
    Task ThawAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default);

    /// <summary>SIGKILLs a running container's main process; the restart policy then applies, as after a crash.</summary>
    Task KillAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default);

    /// <summary>The partitions and frozen containers in force.</summary>
    IReadOnlyList<SandboxFault> List();
}

/// <summary>Where the sandbox API server serves <see cref="ISandboxFaults"/> over HTTP (the sandbox's own path, beside the Kubernetes API).</summary>
public static class SandboxFaultApi
{
    /// <summary>GET lists the faults in force; POST {"action", "namespace", "pod", "peer", "container"} applies one.</summary>
    public const string Path = "/sandbox/v1/faults";
}

/// <summary>One fault in force: kind "partition" (Peer: a pod name or "operator") or "frozen" (Container).</summary>
public sealed record SandboxFault(string Kind, string Namespace, string Pod, string? Peer = null, string? Container = null);

/// <summary>A fault could not be applied; Code is the HTTP status that says why (404: no such pod, 409: not running, 400: bad request).</summary>
public sealed class SandboxFaultException(int code, string message) : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Code { get; } = code;
}
