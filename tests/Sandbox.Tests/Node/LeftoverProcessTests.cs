using PgReplica.Sandbox.Node;

namespace PgReplica.Sandbox.Tests.Node;

public class LeftoverProcessTests
{
    [Fact]
    public async Task AgentStartEndsContainerProcessesAnEarlierAgentLeftBehindEvenFrozenOnes()
    {
        var root = Path.Combine("/tmp", "pgr-node-" + Guid.NewGuid().ToString("N")[..8]);
        // What a crashed agent leaves: a container's process in the node's cgroup, frozen by a fault.
        var container = Path.Combine(Cgroups.Locate(root).PodPath("default_old_1234"), "c");
        Cgroups.Create(container);
        using var orphan = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"echo $$ > {Cgroups.ProcsFile(container)}; exec sleep 600"])!;
        await NodeEnvironment.WaitUntilAsync(() => Cgroups.Pids(container).Count == 1, "the orphan in its cgroup");
        Cgroups.Freeze(container, true);
        using var unrelated = System.Diagnostics.Process.Start("sleep", "600");
        try
        {
            await using var env = await NodeEnvironment.StartAsync(podOctet: 21, root: root);
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(15)));
            Assert.False(unrelated.HasExited);
            Assert.False(Directory.Exists(Path.GetDirectoryName(container)));
        }
        finally
        {
            unrelated.Kill();
            if (!orphan.HasExited)
            {
                orphan.Kill();
            }
        }
    }
}
