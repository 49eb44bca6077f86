using System.Diagnostics;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// One run of one container: <c>setsid unshare --mount --uts --propagation slave sh launcher argv…</c> (slave: the
/// host's unmounts of volumes reach the container's copies; its own mounts stay its own), which execs down to
/// the container's own process, so <see cref="Pid"/> is that process and its process group.
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TimeProvider _time;

    private ContainerProcess(Process process, TimeProvider time)
    {
        _process = process;
        _time = time;
        Pid = process.Id;
        StartedAt = time.GetUtcNow();
    }

    /// <summary>The container's main process id (also its process group and session id).</summary>
    public int Pid { get; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When it ended, once it has.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Starts the launcher script with the container's argv and environment.</summary>
    public static ContainerProcess Start(string launcherPath, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, TimeProvider time)
    {
        var psi = new ProcessStartInfo("/usr/bin/setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            WorkingDirectory = "/",
        };
        foreach (var a in new[] { "/usr/bin/unshare", "--mount", "--uts", "--propagation", "slave", "/bin/sh", launcherPath })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var a in argv)
        {
            psi.ArgumentList.Add(a);
        }

        // Secrets travel in the environment, never in argv.
        psi.Environment.Clear();
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the container launcher");
        p.StandardInput.Close();
        return new ContainerProcess(p, time);
    }

    /// <summary>
    /// Waits until the launcher has set up the namespace and is about to exec the container (true), or ended
    /// without getting there (false). Until then an exec into the container would see the host's mounts.
    /// </summary>
    public async Task<bool> WaitSetUpAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line == LaunchScript.StartedLine)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke: the launcher is gone.
        }

        return false;
    }

    /// <summary>Waits for the exit and returns the exit code (128+signal when killed by a signal, as the kubelet reports).</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (FinishedAt is null)
        {
            FinishedAt = _time.GetUtcNow();
            // A container ends with its main process, as when a PID namespace's init dies: children left in its
            // process group (a backgrounded job, a pg_basebackup under a killed shell) go too.
            UnixSignal.Send(-Pid, UnixSignal.Kill);
        }

        return _process.ExitCode;
    }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Graceful stop: SIGINT for a postgres binary (fast shutdown, the postgres image's STOPSIGNAL), SIGTERM otherwise;
    /// SIGKILL to the whole process group once the grace period is over. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            UnixSignal.Send(Pid, UnixSignal.StopSignalFor(Pid));
            using var timeout = new CancellationTokenSource(grace, _time);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                UnixSignal.Send(-Pid, UnixSignal.Kill);
                UnixSignal.Send(Pid, UnixSignal.Kill);
            }
        }

        return await WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the process group at once (used when the agent itself must stop now).</summary>
    public void KillNow()
    {
        UnixSignal.Send(-Pid, UnixSignal.Kill);
        UnixSignal.Send(Pid, UnixSignal.Kill);
    }

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();
}
