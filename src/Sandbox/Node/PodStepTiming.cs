namespace PgReplica.Sandbox.Node;

/// <summary>
/// One step of running a pod, timed by the node agent on its own clock, as a container runtime keeps
/// nanosecond start and finish times while status.* shows whole seconds. Steps: <see cref="SandboxStep"/>,
/// <see cref="VolumesStep"/>, then per container run <see cref="SetUpStep"/> and <see cref="RunStep"/>.
/// </summary>
public sealed record PodStepTiming(string Namespace, string Pod, string Step, string? Container, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The pod's directories, cgroup, address and packet rules.</summary>
    public const string SandboxStep = "sandbox";

    /// <summary>Every volume made and mounted (a claim's image created, formatted and loop-mounted on first use).</summary>
    public const string VolumesStep = "volumes";

    /// <summary>A container's launch: mount namespace, cgroup, bind mounts, until it execs its command.</summary>
    public const string SetUpStep = "set-up";

    /// <summary>A container's command, from its exec until it exited (an init container's whole work).</summary>
    public const string RunStep = "run";

    /// <summary>How long the step took.</summary>
    public TimeSpan Duration => End - Start;
}
