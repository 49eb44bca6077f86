using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Runs one pod on the node, the way the kubelet's pod worker does: volumes, init containers in order, then the
/// containers with probes and restarts, until asked to stop; keeps status.* in the store in step.
/// </summary>
internal sealed class PodWorker
{
    private readonly NodeContext _ctx;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ContainerSlot> _init;
    private readonly List<ContainerSlot> _main;
    private readonly Dictionary<string, (bool Status, string Time, string? Reason)> _conditions = new(StringComparer.Ordinal);
    private readonly string _startTime = Now();
    private DateTimeOffset _stopDeadline = DateTimeOffset.MaxValue;
    private bool _initialized;
    private bool _failed;
    private bool _vanished;
    private string? _lastWritten;
    private string? _lastHosts;

    /// <summary>Creates the worker; <see cref="Start"/> runs it.</summary>
    public PodWorker(NodeContext ctx, PodModel pod)
    {
        _ctx = ctx;
        Pod = pod;
        PodIp = ctx.PodAddresses.AddressFor($"{pod.Namespace}/{pod.Name}").ToString();
        PodDirectory = Path.Combine(ctx.Options.RootDirectory, "pods", $"{pod.Namespace}_{pod.Name}_{pod.Uid}");
        SocketDirectory = Path.Combine(ctx.SocketRoot, PodIp);
        _init = pod.InitContainers.Select(c => new ContainerSlot(c, isInit: true)).ToList();
        _main = pod.Containers.Select(c => new ContainerSlot(c, isInit: false)).ToList();
    }

    /// <summary>The pod as it was when the worker started.</summary>
    public PodModel Pod { get; }

    /// <summary>The pod's loopback address.</summary>
    public string PodIp { get; }

    /// <summary>&lt;root&gt;/pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;.</summary>
    public string PodDirectory { get; }

    /// <summary>The pod's unix socket directory (also mounted at /run/postgresql in its containers).</summary>
    public string SocketDirectory { get; }

    /// <summary>Ends when every process of the pod has ended.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Set when the pod carried a deletionTimestamp: the agent removes the object once the worker ends.</summary>
    public bool RemoveWhenStopped { get; set; }

    /// <summary>True once a stop was requested.</summary>
    public bool Stopping => _stop.IsCancellationRequested;

    private string HostsPath => Path.Combine(PodDirectory, "etc-hosts");

    // spec.hostname, else the pod name; at most 63 characters, as the kubelet truncates longer names.
    private string Hostname => (Pod.Hostname ?? Pod.Name) is var h && h.Length <= 63 ? h : h[..63].TrimEnd('-', '.');

    private string BinDirectory => Path.Combine(PodDirectory, "bin");

    /// <summary>Starts running the pod.</summary>
    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>
    /// Stops every container within the grace period (SIGINT/SIGTERM, then SIGKILL). A later request may shorten
    /// the period, never lengthen it. vanished: the object is gone from the store, so status is no longer written.
    /// </summary>
    public void RequestStop(TimeSpan grace, bool vanished)
    {
        lock (_gate)
        {
            _vanished |= vanished;
            var deadline = DateTimeOffset.UtcNow + grace;
            if (deadline < _stopDeadline)
            {
                _stopDeadline = deadline;
            }
        }

        _ = _stop.CancelAsync();
    }

    /// <summary>The log file of a container's current (or previous) run, if any.</summary>
    public string? LogPath(string? container, bool previous)
    {
        lock (_gate)
        {
            var slot = FindSlot(container);
            if (slot is null)
            {
                return null;
            }

            var run = previous ? slot.RestartCount - 1 : slot.RestartCount;
            var path = Path.Combine(PodDirectory, slot.Spec.Name, $"{run}.log");
            return run >= 0 && File.Exists(path) ? path : null;
        }
    }

    /// <summary>Runs a command in a running container.</summary>
    public Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        ContainerProcess? process;
        IReadOnlyDictionary<string, string>? env;
        string workingDir;
        lock (_gate)
        {
            var slot = FindSlot(request.Container)
                ?? throw new InvalidOperationException($"container {request.Container} is not valid for pod {Pod.Name}");
            process = slot.Process;
            env = slot.Env;
            workingDir = slot.WorkingDir;
            if (process is null || process.HasExited || env is null)
            {
                throw new InvalidOperationException($"container {slot.Spec.Name} is not running");
            }
        }

        return ContainerExec.RunAsync(process.Pid, workingDir, _ctx.User.Name, env, request.Command,
            request.Stdin, request.Stdout, request.Stderr, request.Tty, cancellationToken);
    }

    /// <summary>Rewrites /etc/hosts in place (same inode, so the bind mounts see it) when the Services changed.</summary>
    public void UpdateHosts()
    {
        var text = HostsFile.Build(Pod.Namespace, Hostname, PodIp, _ctx.Services());
        lock (_gate)
        {
            if (text == _lastHosts || !Directory.Exists(PodDirectory))
            {
                return;
            }

            using (var f = new FileStream(HostsPath, FileMode.OpenOrCreate, FileAccess.Write))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                f.SetLength(0);
                f.Write(bytes);
            }

            FileModes.Set(HostsPath, (UnixFileMode)0x1A4); // 0644
            _lastHosts = text;
        }
    }

    private ContainerSlot? FindSlot(string? container) =>
        string.IsNullOrEmpty(container)
            ? _main.FirstOrDefault()
            : _main.Concat(_init).FirstOrDefault(s => s.Spec.Name == container);

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            PrepareDirectories();
            Publish();
            if (!ImagesAvailable())
            {
                await StoppedAsync(ct).ConfigureAwait(false);
                return;
            }

            var volumes = await PrepareVolumesAsync(ct).ConfigureAwait(false);
            foreach (var slot in _init)
            {
                if (!await RunInitAsync(slot, volumes, ct).ConfigureAwait(false))
                {
                    await StoppedAsync(ct).ConfigureAwait(false);
                    return;
                }
            }

            lock (_gate)
            {
                _initialized = true;
                foreach (var s in _main)
                {
                    s.State = ContainerSlot.Waiting("ContainerCreating", null);
                }
            }

            Publish();
            await Task.WhenAll(_main.Select(s => RunMainAsync(s, volumes, ct))).ConfigureAwait(false);
            Publish();
            await StoppedAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Asked to stop.
        }
        catch (Exception e)
        {
            // The pod fails instead of ending the worker: an ended worker would be started again at once.
            _ctx.Logger.LogError(e, "pod {Namespace}/{Pod} failed in the node agent", Pod.Namespace, Pod.Name);
            _ctx.RecordEvent(Pod, "Warning", "Failed", $"The sandbox node agent could not run the pod: {e.Message}");
            foreach (var s in _init.Concat(_main))
            {
                s.Process?.KillNow();
            }

            lock (_gate)
            {
                _failed = true;
            }

            Publish();
            await StoppedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var s in _init.Concat(_main))
            {
                s.Process?.KillNow();
            }

            if (LeftoverProcesses.KillPod(BinDirectory) is > 0 and var n)
            {
                _ctx.Logger.LogWarning("pod {Namespace}/{Pod}: killed {Count} processes that outlived its containers", Pod.Namespace, Pod.Name, n);
            }

            Publish();
            TryDelete(PodDirectory);
            TryDelete(SocketDirectory);
        }
    }

    private void PrepareDirectories()
    {
        var open = (UnixFileMode)0x1ED; // 0755
        Directory.CreateDirectory(PodDirectory);
        FileModes.Set(PodDirectory, open);
        Directory.CreateDirectory(BinDirectory);
        var wrapper = Path.Combine(BinDirectory, "postgres");
        File.WriteAllText(wrapper, LaunchScript.PostgresWrapper(Path.Combine(_ctx.Image.BinDirectory, "postgres"), PodIp, SocketDirectory));
        FileModes.Set(wrapper, open);
        TryDelete(SocketDirectory);
        // setgid like the Debian /run/postgresql, owned by the run-as user so postgres can create its socket and lock.
        _ctx.User.CreateOwnedDirectory(SocketDirectory, (UnixFileMode)0x5FD); // 02775
        UpdateHosts();
    }

    private bool ImagesAvailable()
    {
        var bad = _init.Concat(_main).Where(s => !PostgresImage.Accepts(s.Spec.Image)).ToList();
        if (bad.Count == 0)
        {
            return true;
        }

        lock (_gate)
        {
            foreach (var s in bad)
            {
                s.State = ContainerSlot.Waiting("ErrImagePull",
                    $"image \"{s.Spec.Image}\" cannot be run: the pgreplica sandbox runs only PostgreSQL images (postgres or postgres:<tag>) on the machine's PostgreSQL {_ctx.Image.Version}");
            }
        }

        foreach (var s in bad)
        {
            _ctx.RecordEvent(Pod, "Warning", "Failed",
                $"Failed to pull image \"{s.Spec.Image}\": the sandbox runs only PostgreSQL images");
        }

        Publish();
        return false;
    }

    private async Task<Dictionary<string, string>> PrepareVolumesAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return PodVolumes.Prepare(_ctx, Pod, PodDirectory);
            }
            catch (ContainerConfigException e)
            {
                lock (_gate)
                {
                    foreach (var s in _main.Concat(_init))
                    {
                        s.State = ContainerSlot.Waiting(s.IsInit ? "PodInitializing" : "ContainerCreating", e.Message);
                    }
                }

                Publish();
                await Task.Delay(_ctx.Options.RetryInterval, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs an init container until it succeeds; false when the pod failed or is stopping.</summary>
    private async Task<bool> RunInitAsync(ContainerSlot slot, Dictionary<string, string> volumes, CancellationToken ct)
    {
        var backOff = _ctx.Options.InitialRestartBackOff;
        while (true)
        {
            var exit = await RunOnceAsync(slot, volumes, ct).ConfigureAwait(false);
            if (exit is null || ct.IsCancellationRequested)
            {
                return false;
            }

            if (exit == 0)
            {
                lock (_gate)
                {
                    slot.Done = true;
                }

                Publish();
                return true;
            }

            if (Pod.RestartPolicy == "Never")
            {
                lock (_gate)
                {
                    slot.Done = true;
                    _failed = true;
                }

                Publish();
                return false;
            }

            await BackOffAsync(slot, backOff, ct).ConfigureAwait(false);
            backOff = Next(backOff);
        }
    }

    private async Task RunMainAsync(ContainerSlot slot, Dictionary<string, string> volumes, CancellationToken ct)
    {
        var backOff = _ctx.Options.InitialRestartBackOff;
        while (true)
        {
            var started = DateTimeOffset.UtcNow;
            var exit = await RunOnceAsync(slot, volumes, ct).ConfigureAwait(false);
            if (exit is null || ct.IsCancellationRequested)
            {
                return;
            }

            var restart = Pod.RestartPolicy switch
            {
                "Never" => false,
                "OnFailure" => exit != 0,
                _ => true,
            };
            if (!restart)
            {
                lock (_gate)
                {
                    slot.Done = true;
                }

                Publish();
                return;
            }

            // A container that ran well for a while starts over from the shortest back-off.
            if (DateTimeOffset.UtcNow - started > 2 * _ctx.Options.MaxRestartBackOff)
            {
                backOff = _ctx.Options.InitialRestartBackOff;
            }

            await BackOffAsync(slot, backOff, ct).ConfigureAwait(false);
            backOff = Next(backOff);
        }
    }

    private TimeSpan Next(TimeSpan backOff) =>
        backOff * 2 > _ctx.Options.MaxRestartBackOff ? _ctx.Options.MaxRestartBackOff : backOff * 2;

    private async Task BackOffAsync(ContainerSlot slot, TimeSpan backOff, CancellationToken ct)
    {
        lock (_gate)
        {
            slot.LastState = slot.State;
            slot.State = ContainerSlot.Waiting("CrashLoopBackOff",
                $"back-off {(int)backOff.TotalSeconds}s restarting failed container={slot.Spec.Name} pod={Pod.Name}_{Pod.Namespace}({Pod.Uid})");
        }

        Publish();
        _ctx.RecordEvent(Pod, "Warning", "BackOff", $"Back-off restarting failed container {slot.Spec.Name} in pod {Pod.Name}_{Pod.Namespace}({Pod.Uid})");
        await Task.Delay(backOff, ct).ConfigureAwait(false);
        lock (_gate)
        {
            slot.RestartCount++;
        }
    }

    /// <summary>One run of a container; the exit code, or null when the pod stopped before it could start.</summary>
    private async Task<int?> RunOnceAsync(ContainerSlot slot, Dictionary<string, string> volumes, CancellationToken ct)
    {
        var (env, argv) = await ConfigureAsync(slot, ct).ConfigureAwait(false);
        var spec = slot.Spec;
        var workingDir = spec.WorkingDir is { Length: > 0 } wd ? wd : "/";
        var logDir = Path.Combine(PodDirectory, spec.Name);
        Directory.CreateDirectory(logDir);
        var logPath = Path.Combine(logDir, $"{slot.RestartCount}.log");
        var launcher = Path.Combine(PodDirectory, $"launch-{spec.Name}.sh");
        File.WriteAllText(launcher, LaunchScript.Launcher(Mounts(spec, volumes), logPath, workingDir, _ctx.User.Name, Hostname));

        ContainerProcess process;
        lock (_gate)
        {
            if (ct.IsCancellationRequested)
            {
                return null;
            }

            process = ContainerProcess.Start(launcher, argv, env);
            slot.Process = process;
        }

        // Only a set-up container counts as running (and takes exec and probes).
        var setUp = await process.WaitSetUpAsync().ConfigureAwait(false);
        lock (_gate)
        {
            slot.Env = setUp ? env : null;
            slot.WorkingDir = workingDir;
            slot.ContainerId = $"sandbox://{process.Pid}";
            slot.ImageId = _ctx.Image.ImageId;
            slot.State = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Format(process.StartedAt) } };
            slot.Started = spec.StartupProbe is null;
            slot.Ready = false;
            if (setUp && !slot.IsInit && spec.ReadinessProbe is null && spec.StartupProbe is null)
            {
                slot.Ready = true;
            }
        }

        Publish();
        _ctx.RecordEvent(Pod, "Normal", "Started", $"Started container {spec.Name}");
        _ctx.Logger.LogInformation("pod {Namespace}/{Pod}: started container {Container} (pid {Pid})", Pod.Namespace, Pod.Name, spec.Name, process.Pid);

        using var probes = new CancellationTokenSource();
        var probing = slot.IsInit ? Task.CompletedTask : ProbeLoopAsync(slot, process, probes.Token);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var stopRequested = new TaskCompletionSource();
        using (ct.Register(() => stopRequested.TrySetResult()))
        {
            await Task.WhenAny(exited, stopRequested.Task).ConfigureAwait(false);
        }

        if (!exited.IsCompleted)
        {
            _ctx.RecordEvent(Pod, "Normal", "Killing", $"Stopping container {spec.Name}");
            await process.StopAsync(GraceLeft()).ConfigureAwait(false);
        }

        var code = await exited.ConfigureAwait(false);
        await probes.CancelAsync().ConfigureAwait(false);
        try
        {
            await probing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Probes end with the run.
        }

        lock (_gate)
        {
            slot.Ready = false;
            slot.LastExitCode = code;
            slot.State = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = code,
                    ["reason"] = code == 0 ? "Completed" : "Error",
                    ["startedAt"] = Format(process.StartedAt),
                    ["finishedAt"] = Format(process.FinishedAt ?? DateTimeOffset.UtcNow),
                    ["containerID"] = slot.ContainerId,
                },
            };
            slot.Process = null;
        }

        process.Dispose();
        Publish();
        _ctx.Logger.LogInformation("pod {Namespace}/{Pod}: container {Container} exited with {Code}", Pod.Namespace, Pod.Name, spec.Name, code);
        return code;
    }

    /// <summary>Env and argv of the next run; waits (CreateContainerConfigError) while a referenced Secret is missing.</summary>
    private async Task<(Dictionary<string, string> Env, IReadOnlyList<string> Argv)> ConfigureAsync(ContainerSlot slot, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var facts = new PodFacts(Pod.Namespace, Pod.Name, Pod.Uid, PodIp, _ctx.HostIp, _ctx.Options.NodeName);
                var env = ContainerEnvironment.Build(_ctx.Image.Environment(BinDirectory), slot.Spec.Env, slot.Spec.EnvFrom, facts,
                    (kind, name) => PodVolumes.SourceText(_ctx.Store, Pod.Namespace, kind, name));
                env.TryAdd("HOSTNAME", Pod.Name);
                var argv = PostgresImage.Argv(slot.Spec.Command, slot.Spec.Args)
                    .Select(a => ContainerEnvironment.Expand(a, env)).ToList();
                return (env, argv);
            }
            catch (ContainerConfigException e)
            {
                lock (_gate)
                {
                    slot.State = ContainerSlot.Waiting("CreateContainerConfigError", e.Message);
                }

                Publish();
                await Task.Delay(_ctx.Options.RetryInterval, ct).ConfigureAwait(false);
            }
        }
    }

    private List<BindMount> Mounts(ContainerModel spec, Dictionary<string, string> volumes)
    {
        var mounts = new List<BindMount>();
        foreach (var m in spec.VolumeMounts)
        {
            if (!volumes.TryGetValue(m.Name, out var source))
            {
                throw new InvalidOperationException($"container {spec.Name} mounts unknown volume {m.Name}");
            }

            if (!string.IsNullOrEmpty(m.SubPath))
            {
                source = Path.Combine(source, m.SubPath);
                if (!File.Exists(source) && !Directory.Exists(source))
                {
                    _ctx.User.CreateOwnedDirectory(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            mounts.Add(new BindMount(source, m.MountPath, m.ReadOnly));
        }

        mounts.Add(new BindMount(HostsPath, "/etc/hosts", ReadOnly: false));
        mounts.Add(new BindMount(SocketDirectory, "/run/postgresql", ReadOnly: false));
        return mounts;
    }

    private async Task ProbeLoopAsync(ContainerSlot slot, ContainerProcess process, CancellationToken ct)
    {
        var spec = slot.Spec;
        var startedAt = DateTimeOffset.UtcNow;
        if (spec.StartupProbe is { } startup)
        {
            if (!await ProbeUntilAsync(slot, process, startup, startedAt, ct).ConfigureAwait(false))
            {
                await KillUnhealthyAsync(slot, process, "Startup").ConfigureAwait(false);
                return;
            }

            lock (_gate)
            {
                slot.Started = true;
                if (spec.ReadinessProbe is null)
                {
                    slot.Ready = true;
                }
            }

            Publish();
        }

        var loops = new List<Task>();
        if (spec.ReadinessProbe is { } readiness)
        {
            loops.Add(ReadinessLoopAsync(slot, process, readiness, startedAt, ct));
        }

        if (spec.LivenessProbe is { } liveness)
        {
            loops.Add(LivenessLoopAsync(slot, process, liveness, startedAt, ct));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>Probes until success (true) or failureThreshold consecutive failures (false).</summary>
    private async Task<bool> ProbeUntilAsync(ContainerSlot slot, ContainerProcess process, ProbeModel probe, DateTimeOffset startedAt, CancellationToken ct)
    {
        await DelayUntilAsync(startedAt + TimeSpan.FromSeconds(probe.InitialDelaySeconds), ct).ConfigureAwait(false);
        var failures = 0;
        while (true)
        {
            if (await ProbeOnceAsync(slot, process, probe, ct).ConfigureAwait(false))
            {
                return true;
            }

            if (++failures >= probe.FailureThreshold)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds), ct).ConfigureAwait(false);
        }
    }

    private async Task ReadinessLoopAsync(ContainerSlot slot, ContainerProcess process, ProbeModel probe, DateTimeOffset startedAt, CancellationToken ct)
    {
        await DelayUntilAsync(startedAt + TimeSpan.FromSeconds(probe.InitialDelaySeconds), ct).ConfigureAwait(false);
        int successes = 0, failures = 0;
        while (true)
        {
            var ok = await ProbeOnceAsync(slot, process, probe, ct).ConfigureAwait(false);
            successes = ok ? successes + 1 : 0;
            failures = ok ? 0 : failures + 1;
            bool? ready = successes >= probe.SuccessThreshold ? true : failures >= probe.FailureThreshold ? false : null;
            if (ready is { } r)
            {
                bool changed;
                lock (_gate)
                {
                    changed = slot.Ready != r && slot.Process == process;
                    if (changed)
                    {
                        slot.Ready = r;
                    }
                }

                if (changed)
                {
                    Publish();
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds), ct).ConfigureAwait(false);
        }
    }

    private async Task LivenessLoopAsync(ContainerSlot slot, ContainerProcess process, ProbeModel probe, DateTimeOffset startedAt, CancellationToken ct)
    {
        await DelayUntilAsync(startedAt + TimeSpan.FromSeconds(probe.InitialDelaySeconds), ct).ConfigureAwait(false);
        var failures = 0;
        while (true)
        {
            var ok = await ProbeOnceAsync(slot, process, probe, ct).ConfigureAwait(false);
            failures = ok ? 0 : failures + 1;
            if (failures >= probe.FailureThreshold)
            {
                await KillUnhealthyAsync(slot, process, "Liveness").ConfigureAwait(false);
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds), ct).ConfigureAwait(false);
        }
    }

    private async Task KillUnhealthyAsync(ContainerSlot slot, ContainerProcess process, string which)
    {
        _ctx.RecordEvent(Pod, "Warning", "Unhealthy", $"{which} probe failed; container {slot.Spec.Name} will be restarted");
        _ctx.RecordEvent(Pod, "Normal", "Killing", $"Container {slot.Spec.Name} failed {which.ToLowerInvariant()} probe, will be restarted");
        await process.StopAsync(TimeSpan.FromSeconds(Pod.TerminationGracePeriodSeconds)).ConfigureAwait(false);
    }

    private Task<bool> ProbeOnceAsync(ContainerSlot slot, ContainerProcess process, ProbeModel probe, CancellationToken ct)
    {
        IReadOnlyDictionary<string, string> env;
        string wd;
        lock (_gate)
        {
            env = slot.Env ?? new Dictionary<string, string>();
            wd = slot.WorkingDir;
        }

        return ProbeRunner.RunAsync(probe, slot.Spec, process.Pid, env, wd, _ctx.User.Name, PodIp, ct);
    }

    private static async Task DelayUntilAsync(DateTimeOffset when, CancellationToken ct)
    {
        var wait = when - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct).ConfigureAwait(false);
        }
    }

    private TimeSpan GraceLeft()
    {
        lock (_gate)
        {
            var left = _stopDeadline - DateTimeOffset.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    private static async Task StoppedAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stop requested.
        }
    }

    /// <summary>Writes status.* to the store when it differs from what was last written.</summary>
    private void Publish()
    {
        lock (_gate)
        {
            if (_vanished)
            {
                return;
            }

            var status = BuildStatus();
            var text = status.ToJsonString();
            if (text == _lastWritten)
            {
                return;
            }

            if (WriteStatus(status))
            {
                _lastWritten = text;
            }
        }
    }

    private bool WriteStatus(JsonObject status)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = _ctx.Store.Get(ResourceType.Pods, Pod.Namespace, Pod.Name);
            if (current is null || PodModel.Str(current["metadata"] as JsonObject, "uid") != Pod.Uid)
            {
                _vanished = true;
                return false;
            }

            current["status"] = status.DeepClone();
            try
            {
                _ctx.Store.ReplaceStatus(ResourceType.Pods, Pod.Namespace, current);
                return true;
            }
            catch (StoreException e) when (e.Reason == "Conflict")
            {
                // Someone else wrote meanwhile; read again.
            }
            catch (StoreException e) when (e.Reason == "NotFound")
            {
                _vanished = true;
                return false;
            }
        }

        return false;
    }

    private JsonObject BuildStatus()
    {
        var phase = Phase();
        var allReady = _initialized && _main.Count > 0 && _main.All(s => s.Ready);
        Condition("PodScheduled", true, null);
        Condition("Initialized", _initialized, _initialized ? null : "ContainersNotInitialized");
        Condition("ContainersReady", allReady, allReady ? null : "ContainersNotReady");
        Condition("Ready", allReady, allReady ? null : "ContainersNotReady");
        var conditions = new JsonArray();
        foreach (var type in new[] { "Initialized", "Ready", "ContainersReady", "PodScheduled" })
        {
            var (status, time, reason) = _conditions[type];
            var c = new JsonObject
            {
                ["type"] = type,
                ["status"] = status ? "True" : "False",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = time,
            };
            if (reason is not null)
            {
                c["reason"] = reason;
            }

            conditions.Add(c);
        }

        var result = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = conditions,
            ["hostIP"] = _ctx.HostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = _ctx.HostIp }),
            ["podIP"] = PodIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp }),
            ["startTime"] = _startTime,
            ["qosClass"] = "BestEffort",
        };
        if (_init.Count > 0)
        {
            result["initContainerStatuses"] = new JsonArray(_init.Select(s => (JsonNode)s.ToStatus()).ToArray());
        }

        result["containerStatuses"] = new JsonArray(_main.Select(s => (JsonNode)s.ToStatus()).ToArray());
        return result;
    }

    private string Phase()
    {
        if (_failed)
        {
            return "Failed";
        }

        if (!_initialized)
        {
            return "Pending";
        }

        if (_main.Count > 0 && _main.All(s => s.Done))
        {
            return _main.All(s => s.LastExitCode == 0) ? "Succeeded" : "Failed";
        }

        return _main.Any(s => s.ContainerId is not null) ? "Running" : "Pending";
    }

    private void Condition(string type, bool status, string? reason)
    {
        if (!_conditions.TryGetValue(type, out var old) || old.Status != status || old.Reason != reason)
        {
            _conditions[type] = (status, old.Status == status && old.Time is not null ? old.Time : Now(), reason);
        }
    }

    private static string Now() => Format(DateTimeOffset.UtcNow);

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _ctx.Logger.LogWarning(e, "could not remove {Path}", path);
        }
    }
}
