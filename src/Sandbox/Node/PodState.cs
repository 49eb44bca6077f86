using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// A running pod's state: its container slots, whether it is initialized or failed, its stop deadline. The one
/// lock of a pod worker lives here, held only to read or change this state (never across I/O); each change tells
/// the status manager, which writes status outside the lock.
/// </summary>
internal sealed class PodState
{
    private readonly object _gate = new();
    private readonly Action _changed;
    private readonly string? _defaultContainer;
    private bool _initialized;
    private bool _failed;
    private DateTimeOffset _stopDeadline = DateTimeOffset.MaxValue;

    /// <summary>State for the pod's init containers and containers; changed is called after every change.</summary>
    public PodState(PodModel pod, Action changed)
    {
        Init = pod.InitContainers.Select(c => new ContainerSlot(c, isInit: true)).ToList();
        Main = pod.Containers.Select(c => new ContainerSlot(c, isInit: false)).ToList();
        _defaultContainer = pod.DefaultContainer;
        _changed = changed;
    }

    /// <summary>Init containers, in order.</summary>
    public IReadOnlyList<ContainerSlot> Init { get; }

    /// <summary>Containers.</summary>
    public IReadOnlyList<ContainerSlot> Main { get; }

    /// <summary>Every slot, init containers first.</summary>
    public IEnumerable<ContainerSlot> All => Init.Concat(Main);

    /// <summary>A copy of what the status reports.</summary>
    public PodSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new PodSnapshot(_initialized, _failed, Init.Select(s => s.Snapshot()).ToList(), Main.Select(s => s.Snapshot()).ToList());
        }
    }

    /// <summary>The named container (else the one the kubectl.kubernetes.io/default-container annotation names, else the first), or null.</summary>
    public ContainerSlot? Find(string? container) =>
        string.IsNullOrEmpty(container)
            ? Main.FirstOrDefault(s => s.Spec.Name == _defaultContainer) ?? Main.FirstOrDefault()
            : All.FirstOrDefault(s => s.Spec.Name == container);

    /// <summary>The container's process, environment and working directory while it runs and is set up; null otherwise.</summary>
    public (ContainerProcess Process, IReadOnlyDictionary<string, string> Env, string WorkingDir)? Running(ContainerSlot slot)
    {
        lock (_gate)
        {
            return slot.Process is { HasExited: false } p && slot.Env is { } env ? (p, env, slot.WorkingDir) : null;
        }
    }

    /// <summary>Every container process that has not been reaped yet, set up or not.</summary>
    public IReadOnlyList<ContainerProcess> Processes()
    {
        lock (_gate)
        {
            return All.Select(s => s.Process).OfType<ContainerProcess>().ToList();
        }
    }

    /// <summary>How many restarts the container had: names its current log file.</summary>
    public int RestartCount(ContainerSlot slot)
    {
        lock (_gate)
        {
            return slot.RestartCount;
        }
    }

    /// <summary>Sets one container waiting.</summary>
    public void Waiting(ContainerSlot slot, string reason, string? message) =>
        Change(() => slot.State = ContainerSlot.Waiting(reason, message));

    /// <summary>Sets every container waiting: init containers with initReason, the others with mainReason.</summary>
    public void AllWaiting(string initReason, string mainReason, string? message) => Change(() =>
    {
        foreach (var s in All)
        {
            s.State = ContainerSlot.Waiting(s.IsInit ? initReason : mainReason, message);
        }
    });

    /// <summary>Every init container succeeded: the containers are being created.</summary>
    public void Initialized() => Change(() =>
    {
        _initialized = true;
        foreach (var s in Main)
        {
            s.State = ContainerSlot.Waiting("ContainerCreating", null);
        }
    });

    /// <summary>The pod failed for good.</summary>
    public void Failed() => Change(() => _failed = true);

    /// <summary>The container ended and does not run again; failsPod marks the pod failed too (an init container under restartPolicy Never).</summary>
    public void Done(ContainerSlot slot, bool failsPod = false) => Change(() =>
    {
        slot.Done = true;
        _failed |= failsPod;
    });

    /// <summary>Starts the process unless the pod is stopping (checked under the lock, so a stop either sees the process or prevents it).</summary>
    public ContainerProcess? TryStart(ContainerSlot slot, CancellationToken stopping, Func<ContainerProcess> start)
    {
        lock (_gate)
        {
            if (stopping.IsCancellationRequested)
            {
                return null;
            }

            slot.Process = start();
            return slot.Process;
        }
    }

    /// <summary>The container runs: env is null when its launcher failed before the container's own process took over.</summary>
    public void Running(ContainerSlot slot, ContainerProcess process, IReadOnlyDictionary<string, string>? env, string workingDir, string imageId) => Change(() =>
    {
        slot.Env = env;
        slot.WorkingDir = workingDir;
        slot.ContainerId = $"sandbox://{process.Pid}";
        slot.ImageId = imageId;
        slot.State = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = PodStatusBuilder.Format(process.StartedAt) } };
        slot.Started = slot.Spec.StartupProbe is null;
        // Without probes a running container is ready at once, as in Kubernetes.
        slot.Ready = env is not null && !slot.IsInit && slot.Spec.ReadinessProbe is null && slot.Spec.StartupProbe is null;
    });

    /// <summary>The startup probe passed.</summary>
    public void StartupPassed(ContainerSlot slot) => Change(() =>
    {
        slot.Started = true;
        slot.Ready |= slot.Spec.ReadinessProbe is null;
    });

    /// <summary>Readiness as the readiness probe says, for the given run only (a later run's probes decide for it).</summary>
    public void Readiness(ContainerSlot slot, ContainerProcess run, bool ready)
    {
        var changed = false;
        lock (_gate)
        {
            if (slot.Process == run && slot.Ready != ready)
            {
                slot.Ready = ready;
                changed = true;
            }
        }

        if (changed)
        {
            _changed();
        }
    }

    /// <summary>The run ended with the exit code.</summary>
    public void Terminated(ContainerSlot slot, int code, DateTimeOffset startedAt, DateTimeOffset finishedAt) => Change(() =>
    {
        slot.Ready = false;
        slot.LastExitCode = code;
        slot.State = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = code,
                // Killed by SIGKILL (exit 137): the container runtime's OOM or a kill, which Kubernetes reports as Error too.
                ["reason"] = code == 0 ? "Completed" : "Error",
                ["startedAt"] = PodStatusBuilder.Format(startedAt),
                ["finishedAt"] = PodStatusBuilder.Format(finishedAt),
                ["containerID"] = slot.ContainerId,
            },
        };
        slot.Process = null;
    });

    /// <summary>Waiting in CrashLoopBackOff; the last run becomes lastState.</summary>
    public void BackingOff(ContainerSlot slot, string message) => Change(() =>
    {
        slot.LastState = slot.State;
        slot.State = ContainerSlot.Waiting("CrashLoopBackOff", message);
    });

    /// <summary>The back-off is over: the next run counts as a restart.</summary>
    public void Restarting(ContainerSlot slot)
    {
        lock (_gate)
        {
            slot.RestartCount++;
        }
    }

    /// <summary>Asks for a stop by the deadline; a later request may bring it closer, never push it back.</summary>
    public void StopBy(DateTimeOffset deadline)
    {
        lock (_gate)
        {
            if (deadline < _stopDeadline)
            {
                _stopDeadline = deadline;
            }
        }
    }

    /// <summary>What is left of the grace period at now.</summary>
    public TimeSpan GraceLeft(DateTimeOffset now)
    {
        lock (_gate)
        {
            var left = _stopDeadline - now;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    private void Change(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _changed();
    }
}
