using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Node;

/// <summary>What the node knows about one container of a pod; changed only through <see cref="PodState"/>, under its lock.</summary>
internal sealed class ContainerSlot(ContainerModel spec, bool isInit)
{
    /// <summary>The container's spec.</summary>
    public ContainerModel Spec { get; } = spec;

    /// <summary>True for an init container.</summary>
    public bool IsInit { get; } = isInit;

    /// <summary>state: {waiting|running|terminated: …}.</summary>
    public JsonObject State { get; set; } = Waiting("PodInitializing", null);

    /// <summary>lastState, or null.</summary>
    public JsonObject? LastState { get; set; }

    /// <summary>Readiness as the probes say.</summary>
    public bool Ready { get; set; }

    /// <summary>Past its startup probe.</summary>
    public bool Started { get; set; }

    /// <summary>Restarts so far; also names the current log file.</summary>
    public int RestartCount { get; set; }

    /// <summary>sandbox://&lt;pid&gt; of the current or last run.</summary>
    public string? ContainerId { get; set; }

    /// <summary>imageID once the image "pulled".</summary>
    public string ImageId { get; set; } = "";

    /// <summary>The running process, or null.</summary>
    public ContainerProcess? Process { get; set; }

    /// <summary>The environment of the current run (for exec and probes); null until the container is set up.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; set; }

    /// <summary>The working directory of the current run.</summary>
    public string WorkingDir { get; set; } = "/";

    /// <summary>True when the container ended and will not run again.</summary>
    public bool Done { get; set; }

    /// <summary>Exit code of the last run, when there was one.</summary>
    public int? LastExitCode { get; set; }

    /// <summary>A waiting state.</summary>
    public static JsonObject Waiting(string reason, string? message)
    {
        var w = new JsonObject { ["reason"] = reason };
        if (message is not null)
        {
            w["message"] = message;
        }

        return new JsonObject { ["waiting"] = w };
    }

    /// <summary>A copy of what the status reports.</summary>
    public ContainerSnapshot Snapshot() => new(
        Spec.Name, Spec.Image, ImageId, (JsonObject)State.DeepClone(), LastState?.DeepClone() as JsonObject,
        Ready, Started, RestartCount, ContainerId, Done, LastExitCode);
}

/// <summary>One container's reportable state at one moment.</summary>
internal sealed record ContainerSnapshot(
    string Name,
    string Image,
    string ImageId,
    JsonObject State,
    JsonObject? LastState,
    bool Ready,
    bool Started,
    int RestartCount,
    string? ContainerId,
    bool Done,
    int? LastExitCode);

/// <summary>A pod's reportable state at one moment.</summary>
internal sealed record PodSnapshot(bool Initialized, bool Failed, IReadOnlyList<ContainerSnapshot> Init, IReadOnlyList<ContainerSnapshot> Main);
