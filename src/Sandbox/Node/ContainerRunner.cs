using Microsoft.Extensions.Logging;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Runs one container of a pod, as the kubelet's container manager does: configures its environment (waiting while
/// a Secret is missing), launches it in its mount namespace and cgroup, runs its probe workers, stops it within the
/// grace period, and restarts it per the restart policy with back-off (10 s doubling to 5 min on a cluster; the
/// node's options here).
/// </summary>
internal sealed class ContainerRunner(NodeContext ctx, PodSandbox sandbox, PodState state, ContainerSlot slot, IReadOnlyDictionary<string, string> volumes)
{
    private PodModel Pod => sandbox.Pod;

    private ContainerIdentity Identity { get; } = ContainerIdentity.Of(sandbox.Pod, slot.Spec);

    private TimeProvider Time => ctx.Options.Time;

    /// <summary>Runs an init container until it succeeds; false when the pod failed or is stopping.</summary>
    public async Task<bool> RunInitAsync(CancellationToken ct)
    {
        var backOff = ctx.Options.InitialRestartBackOff;
        while (true)
        {
            var exit = await RunOnceAsync(ct).ConfigureAwait(false);
            if (exit is null || ct.IsCancellationRequested)
            {
                return false;
            }

            if (exit == 0)
            {
                state.Done(slot);
                return true;
            }

            if (Pod.RestartPolicy == "Never")
            {
                state.Done(slot, failsPod: true);
                return false;
            }

            await BackOffAsync(backOff, ct).ConfigureAwait(false);
            backOff = Next(backOff);
        }
    }

    /// <summary>Runs a container, restarting it per the pod's restart policy, until it is done or the pod stops.</summary>
    public async Task RunMainAsync(CancellationToken ct)
    {
        var backOff = ctx.Options.InitialRestartBackOff;
        while (true)
        {
            var started = Time.GetUtcNow();
            var exit = await RunOnceAsync(ct).ConfigureAwait(false);
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
                state.Done(slot);
                return;
            }

            // A container that ran well for a while starts over from the shortest back-off.
            if (Time.GetUtcNow() - started > 2 * ctx.Options.MaxRestartBackOff)
            {
                backOff = ctx.Options.InitialRestartBackOff;
            }

            await BackOffAsync(backOff, ct).ConfigureAwait(false);
            backOff = Next(backOff);
        }
    }

    private TimeSpan Next(TimeSpan backOff) =>
        backOff * 2 > ctx.Options.MaxRestartBackOff ? ctx.Options.MaxRestartBackOff : backOff * 2;

    private async Task BackOffAsync(TimeSpan backOff, CancellationToken ct)
    {
        var name = slot.Spec.Name;
        state.BackingOff(slot, $"back-off {(int)backOff.TotalSeconds}s restarting failed container={name} pod={Pod.Name}_{Pod.Namespace}({Pod.Uid})");
        ctx.RecordEvent(Pod, "Warning", "BackOff", $"Back-off restarting failed container {name} in pod {Pod.Name}_{Pod.Namespace}({Pod.Uid})");
        await Task.Delay(backOff, Time, ct).ConfigureAwait(false);
        state.Restarting(slot);
    }

    /// <summary>One run of the container; the exit code, or null when the pod stopped before it could start.</summary>
    private async Task<int?> RunOnceAsync(CancellationToken ct)
    {
        var (env, argv) = await ConfigureAsync(ct).ConfigureAwait(false);
        var spec = slot.Spec;
        var workingDir = spec.WorkingDir is { Length: > 0 } wd ? wd : "/";
        var logDir = sandbox.LogDirectory(spec.Name);
        Directory.CreateDirectory(logDir);
        var logPath = Path.Combine(logDir, $"{state.RestartCount(slot)}.log");
        var cgroup = sandbox.ContainerCgroup(spec.Name);
        Cgroups.Create(cgroup);
        // A container frozen in its last run starts its next one thawed.
        Cgroups.Freeze(cgroup, false);
        var launcher = Path.Combine(sandbox.Directory, $"launch-{spec.Name}.sh");
        File.WriteAllText(launcher, LaunchScript.Launcher(Mounts(spec), logPath, workingDir, Identity.Setpriv, sandbox.Hostname, Cgroups.ProcsFile(cgroup)));

        var process = state.TryStart(slot, ct, () => ContainerProcess.Start(launcher, argv, env, Time));
        if (process is null)
        {
            return null;
        }

        // Only a set-up container counts as running (and takes exec and probes).
        var setUp = await process.WaitSetUpAsync().ConfigureAwait(false);
        state.Running(slot, process, setUp ? env : null, workingDir, ctx.Image.ImageId);
        ctx.RecordEvent(Pod, "Normal", "Started", $"Started container {spec.Name}");
        ctx.Logger.LogInformation("pod {Namespace}/{Pod}: started container {Container} (pid {Pid})", Pod.Namespace, Pod.Name, spec.Name, process.Pid);

        using var probes = new CancellationTokenSource();
        var probing = slot.IsInit || !setUp ? Task.CompletedTask : ProbeAsync(process, probes.Token);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var stopRequested = new TaskCompletionSource();
        using (ct.Register(() => stopRequested.TrySetResult()))
        {
            await Task.WhenAny(exited, stopRequested.Task).ConfigureAwait(false);
        }

        if (!exited.IsCompleted)
        {
            ctx.RecordEvent(Pod, "Normal", "Killing", $"Stopping container {spec.Name}");
            // A frozen container cannot act on its stop signal.
            Cgroups.Freeze(cgroup, false);
            await process.StopAsync(state.GraceLeft(Time.GetUtcNow())).ConfigureAwait(false);
        }

        var code = await exited.ConfigureAwait(false);
        // The container ends with its main process, as when a PID namespace's init dies: whatever it left goes too.
        Cgroups.Kill(cgroup);
        await probes.CancelAsync().ConfigureAwait(false);
        try
        {
            await probing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Probes end with the run.
        }

        state.Terminated(slot, code, process.StartedAt, process.FinishedAt ?? Time.GetUtcNow());
        process.Dispose();
        ctx.Logger.LogInformation("pod {Namespace}/{Pod}: container {Container} exited with {Code}", Pod.Namespace, Pod.Name, spec.Name, code);
        return code;
    }

    /// <summary>Env and argv of the next run; waits (CreateContainerConfigError) while a referenced Secret is missing.</summary>
    private async Task<(Dictionary<string, string> Env, IReadOnlyList<string> Argv)> ConfigureAsync(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var facts = new PodFacts(Pod.Namespace, Pod.Name, Pod.Uid, sandbox.PodIp, ctx.HostIp, ctx.Options.NodeName);
                var imageEnv = ctx.Image.Environment();
                imageEnv["HOME"] = Identity.Home;
                var env = ContainerEnvironment.Build(imageEnv, slot.Spec.Env, slot.Spec.EnvFrom, facts,
                    (kind, name) => PodVolumes.SourceText(ctx.Store, Pod.Namespace, kind, name));
                env.TryAdd("HOSTNAME", Pod.Name);
                var argv = PostgresImage.Argv(slot.Spec.Command, slot.Spec.Args)
                    .Select(a => ContainerEnvironment.Expand(a, env)).ToList();
                return (env, argv);
            }
            catch (ContainerConfigException e)
            {
                state.Waiting(slot, "CreateContainerConfigError", e.Message);
                await Task.Delay(ctx.Options.RetryInterval, Time, ct).ConfigureAwait(false);
            }
        }
    }

    private List<BindMount> Mounts(ContainerModel spec)
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
                    // As the kubelet: root's, with the volume root's mode; a setgid root passes its group on.
                    Directory.CreateDirectory(source);
                    FileModes.Set(source, FileModes.Get(volumes[m.Name]));
                }
            }

            mounts.Add(new BindMount(source, m.MountPath, m.ReadOnly));
        }

        mounts.AddRange(sandbox.CommonMounts());
        mounts.AddRange(sandbox.AccountMounts(spec.Name, Identity));
        return mounts;
    }

    /// <summary>The startup probe first; once it passed, readiness and liveness side by side. A failed startup or liveness probe kills the run.</summary>
    private async Task ProbeAsync(ContainerProcess process, CancellationToken ct)
    {
        var spec = slot.Spec;
        var startedAt = process.StartedAt;
        if (spec.StartupProbe is { } startup)
        {
            if (!await Worker(ProbeKind.Startup, startup, process).RunAsync(startedAt, null, ct).ConfigureAwait(false))
            {
                await KillUnhealthyAsync(process, "Startup").ConfigureAwait(false);
                return;
            }

            state.StartupPassed(slot);
        }

        var readiness = spec.ReadinessProbe is { } r
            ? Worker(ProbeKind.Readiness, r, process).RunAsync(startedAt, ready => state.Readiness(slot, process, ready), ct)
            : Task.FromResult(true);
        var liveness = spec.LivenessProbe is { } l
            ? LivenessAsync(Worker(ProbeKind.Liveness, l, process), startedAt, process, ct)
            : Task.CompletedTask;
        await Task.WhenAll(readiness, liveness).ConfigureAwait(false);
    }

    private async Task LivenessAsync(ProbeWorker worker, DateTimeOffset startedAt, ContainerProcess process, CancellationToken ct)
    {
        if (!await worker.RunAsync(startedAt, null, ct).ConfigureAwait(false))
        {
            await KillUnhealthyAsync(process, "Liveness").ConfigureAwait(false);
        }
    }

    private ProbeWorker Worker(ProbeKind kind, ProbeModel probe, ContainerProcess process) =>
        new(kind, probe, ct =>
        {
            var running = state.Running(slot);
            return ProbeRunner.RunAsync(probe, slot.Spec, process.Pid, running?.Env ?? new Dictionary<string, string>(), running?.WorkingDir ?? "/",
                Cgroups.ProcsFile(sandbox.ContainerCgroup(slot.Spec.Name)), Identity.Setpriv, sandbox.PodIp, ct);
        }, Time);

    private async Task KillUnhealthyAsync(ContainerProcess process, string which)
    {
        ctx.RecordEvent(Pod, "Warning", "Unhealthy", $"{which} probe failed; container {slot.Spec.Name} will be restarted");
        ctx.RecordEvent(Pod, "Normal", "Killing", $"Container {slot.Spec.Name} failed {which.ToLowerInvariant()} probe, will be restarted");
        Cgroups.Freeze(sandbox.ContainerCgroup(slot.Spec.Name), false);
        await process.StopAsync(TimeSpan.FromSeconds(Pod.TerminationGracePeriodSeconds)).ConfigureAwait(false);
    }
}
