namespace PgReplica.Sandbox.Node;

/// <summary>Settings of the sandbox's one node.</summary>
public sealed class NodeOptions
{
    /// <summary>Where pods (logs, emptyDirs, secrets), claim volumes and socket directories live. Pods reach them only through bind mounts, so any directory root can write will do.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>The node's name, written to spec.nodeName of every pod.</summary>
    public string NodeName { get; init; } = "sandbox";

    /// <summary>PostgreSQL bin directory; null picks the highest /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresBinDirectory { get; init; }

    /// <summary>Second octet of the pod IP range 127.N.0.0/16.</summary>
    public byte PodAddressOctet { get; init; } = 10;

    /// <summary>First restart back-off of a crashed container; doubles up to <see cref="MaxRestartBackOff"/>.</summary>
    public TimeSpan InitialRestartBackOff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest restart back-off.</summary>
    public TimeSpan MaxRestartBackOff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock: container start and finish times, condition transitions, back-off and probe periods.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often a pod waiting for a Secret or PVC looks again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);
}
