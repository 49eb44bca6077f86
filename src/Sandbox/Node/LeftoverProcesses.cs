using Microsoft.Extensions.Logging;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Ends container processes an earlier agent on the same root left running (it crashed or was killed), so that a
/// restarted sandbox does not find its postgres data directories locked by orphans. They are recognised by the
/// pod bin directory every container has on PATH.
/// </summary>
internal static class LeftoverProcesses
{
    /// <summary>Stops them (SIGINT/SIGTERM, SIGKILL after the grace period); returns how many there were.</summary>
    public static async Task<int> StopAsync(string rootDirectory, TimeSpan grace, ILogger logger)
    {
        var marker = "PATH=" + Path.Combine(Path.GetFullPath(rootDirectory), "pods") + "/";
        var pids = Find(marker);
        foreach (var pid in pids)
        {
            UnixSignal.Send(pid, IsPostgres(pid) ? UnixSignal.Interrupt : UnixSignal.Terminate);
        }

        var deadline = DateTimeOffset.UtcNow + grace;
        while (DateTimeOffset.UtcNow < deadline && Find(marker).Count > 0)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        foreach (var pid in Find(marker))
        {
            UnixSignal.Send(pid, UnixSignal.Kill);
        }

        if (pids.Count > 0)
        {
            logger.LogWarning("stopped {Count} container processes left over by an earlier node agent", pids.Count);
        }

        return pids.Count;
    }

    /// <summary>
    /// SIGKILLs whatever still runs with the pod's bin directory on PATH once its containers have ended: processes
    /// that left the container's process group (setsid) would otherwise outlive the pod, as a cgroup would not let them.
    /// </summary>
    public static int KillPod(string podBinDirectory)
    {
        var pids = Find("PATH=" + podBinDirectory + ":");
        foreach (var pid in pids)
        {
            UnixSignal.Send(pid, UnixSignal.Kill);
        }

        return pids.Count;
    }

    private static List<int> Find(string marker)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                // Zombies are already dead; only their parent can reap them.
                if (environ.Contains("\0" + marker, StringComparison.Ordinal) || environ.StartsWith(marker, StringComparison.Ordinal))
                {
                    if (!state.Contains(") Z ", StringComparison.Ordinal))
                    {
                        result.Add(pid);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return result;
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget) == "postgres";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
