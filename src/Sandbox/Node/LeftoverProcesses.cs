using Microsoft.Extensions.Logging;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Ends container processes an earlier agent on the same root left running (it crashed or was killed), so that a
/// restarted sandbox does not find its postgres data directories locked by orphans. They are the processes still in
/// the node's cgroup, whose name derives from the root directory.
/// </summary>
internal static class LeftoverProcesses
{
    /// <summary>Thaws and stops them (SIGINT/SIGTERM, SIGKILL after the grace period), removes their cgroups; returns how many there were.</summary>
    public static async Task<int> StopAsync(Cgroups cgroups, TimeSpan grace, ILogger logger)
    {
        var node = cgroups.NodePath;
        var pids = Cgroups.Pids(node);
        foreach (var dir in Directory.EnumerateDirectories(node, "*", SearchOption.AllDirectories))
        {
            Cgroups.Freeze(dir, false);
        }

        foreach (var pid in pids)
        {
            UnixSignal.Send(pid, UnixSignal.StopSignalFor(pid));
        }

        var deadline = DateTimeOffset.UtcNow + grace;
        while (DateTimeOffset.UtcNow < deadline && Cgroups.Pids(node).Count > 0)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        Cgroups.Kill(node);
        foreach (var dir in Directory.EnumerateDirectories(node))
        {
            await Cgroups.RemoveAsync(dir, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        if (pids.Count > 0)
        {
            logger.LogWarning("stopped {Count} container processes left over by an earlier node agent", pids.Count);
        }

        return pids.Count;
    }
}
