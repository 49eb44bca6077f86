using Microsoft.Extensions.Logging;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Runs one pod on the node, as the kubelet's pod worker does: sets up its sandbox (<see cref="PodSandbox"/>), checks
/// its images, prepares its volumes, runs the init containers in order and then the containers
/// (<see cref="ContainerRunner"/>) until asked to stop, then tears the sandbox down. Its state lives in
/// <see cref="PodState"/>; <see cref="PodStatusManager"/> writes it to status.*.
/// </summary>
internal sealed class PodWorker
{
    private readonly NodeContext _ctx;
    private readonly CancellationTokenSource _stop = new();
    private readonly PodState _state;
    private readonly PodStatusManager _status;

    /// <summary>Creates the worker; <see cref="Start"/> runs it.</summary>
    public PodWorker(NodeContext ctx, PodModel pod)
    {
        _ctx = ctx;
        Sandbox = new PodSandbox(ctx, pod);
        _state = new PodState(pod, () => _status!.Changed());
        var placement = new PodPlacement(Sandbox.PodIp, ctx.HostIp, PodStatusBuilder.Format(ctx.Options.Time.GetUtcNow()));
        _status = new PodStatusManager(ctx.Store, pod, _state.Snapshot, placement, ctx.Options.Time);
    }

    /// <summary>The pod as it was when the worker started.</summary>
    public PodModel Pod => Sandbox.Pod;

    /// <summary>The pod's sandbox: directories, address, cgroup.</summary>
    public PodSandbox Sandbox { get; }

    /// <summary>The pod's loopback address.</summary>
    public string PodIp => Sandbox.PodIp;

    /// <summary>Ends when every process of the pod has ended and the last status is written.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Set when the pod carried a deletionTimestamp: the agent removes the object once the worker ends.</summary>
    public bool RemoveWhenStopped { get; set; }

    /// <summary>Starts running the pod.</summary>
    public void Start()
    {
        _status.Start();
        Completion = Task.Run(RunAsync);
    }

    /// <summary>
    /// Stops every container within the grace period (SIGINT/SIGTERM, then SIGKILL). A later request may shorten
    /// the period, never lengthen it. vanished: the object is gone from the store, so status is no longer written.
    /// </summary>
    public void RequestStop(TimeSpan grace, bool vanished)
    {
        if (vanished)
        {
            _status.Vanish();
        }

        _state.StopBy(_ctx.Options.Time.GetUtcNow() + grace);
        _ = _stop.CancelAsync();
    }

    /// <summary>The log file of a container's current (or previous) run, if any.</summary>
    public string? LogPath(string? container, bool previous)
    {
        if (_state.Find(container) is not { } slot)
        {
            return null;
        }

        var run = _state.RestartCount(slot) - (previous ? 1 : 0);
        var path = Path.Combine(Sandbox.LogDirectory(slot.Spec.Name), $"{run}.log");
        return run >= 0 && File.Exists(path) ? path : null;
    }

    /// <summary>Runs a command in a running container.</summary>
    public Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        var slot = _state.Find(request.Container)
            ?? throw new InvalidOperationException($"container {request.Container} is not valid for pod {Pod.Name}");
        var (process, env, workingDir) = _state.Running(slot)
            ?? throw new InvalidOperationException($"container {slot.Spec.Name} is not running");
        return ContainerExec.RunAsync(process.Pid, workingDir, Cgroups.ProcsFile(Sandbox.ContainerCgroup(slot.Spec.Name)), ContainerIdentity.Of(Pod, slot.Spec).Setpriv, env,
            request.Command, request.Stdin, request.Stdout, request.Stderr, request.Tty, cancellationToken);
    }

    /// <summary>The container's name and main process while it runs; null when there is no such container or it is not running.</summary>
    public (string Container, int Pid)? MainProcess(string? container) =>
        _state.Find(container) is { } slot && _state.Running(slot) is { } run ? (slot.Spec.Name, run.Process.Pid) : null;

    /// <summary>Rewrites /etc/hosts when the Services changed.</summary>
    public void UpdateHosts() => Sandbox.UpdateHosts();

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            Sandbox.Create();
            await Sandbox.ConnectAsync().ConfigureAwait(false);
            _status.Changed();
            if (!ImagesAvailable())
            {
                await StoppedAsync(ct).ConfigureAwait(false);
                return;
            }

            var volumes = await PrepareVolumesAsync(ct).ConfigureAwait(false);
            foreach (var slot in _state.Init)
            {
                if (!await new ContainerRunner(_ctx, Sandbox, _state, slot, volumes).RunInitAsync(ct).ConfigureAwait(false))
                {
                    await StoppedAsync(ct).ConfigureAwait(false);
                    return;
                }
            }

            _state.Initialized();
            await Task.WhenAll(_state.Main.Select(s => new ContainerRunner(_ctx, Sandbox, _state, s, volumes).RunMainAsync(ct))).ConfigureAwait(false);
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
            KillAll();
            _state.Failed();
            await StoppedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            KillAll();
            await Sandbox.TearDownAsync().ConfigureAwait(false);
            await _status.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void KillAll()
    {
        foreach (var p in _state.Processes())
        {
            p.KillNow();
        }
    }

    private bool ImagesAvailable()
    {
        var bad = _state.All.Where(s => !PostgresImage.Accepts(s.Spec.Image)).ToList();
        foreach (var s in bad)
        {
            _state.Waiting(s, "ErrImagePull",
                $"image \"{s.Spec.Image}\" cannot be run: the pgreplica sandbox runs only PostgreSQL images (postgres or postgres:<tag>) on the machine's PostgreSQL {_ctx.Image.Version}");
            _ctx.RecordEvent(Pod, "Warning", "Failed", $"Failed to pull image \"{s.Spec.Image}\": the sandbox runs only PostgreSQL images");
        }

        return bad.Count == 0;
    }

    private async Task<Dictionary<string, string>> PrepareVolumesAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return PodVolumes.Prepare(_ctx, Pod, Sandbox.Directory);
            }
            catch (ContainerConfigException e)
            {
                _state.AllWaiting("PodInitializing", "ContainerCreating", e.Message);
                await Task.Delay(_ctx.Options.RetryInterval, _ctx.Options.Time, ct).ConfigureAwait(false);
            }
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
}
