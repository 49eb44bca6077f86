namespace PgReplica.Sandbox.Tests.Node;

public class LeftoverProcessTests
{
    [Fact]
    public async Task AgentStartEndsContainerProcessesAnEarlierAgentLeftBehind()
    {
        var root = Path.Combine("/tmp", "pgr-node-" + Guid.NewGuid().ToString("N")[..8]);
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", "exec sleep 600"]);
        psi.Environment["PATH"] = $"{root}/pods/default_old_1234/bin:/usr/bin:/bin";
        using var orphan = System.Diagnostics.Process.Start(psi)!;
        using var unrelated = System.Diagnostics.Process.Start("sleep", "600");
        try
        {
            await using var env = await NodeEnvironment.StartAsync(podOctet: 21, root: root);
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(5)));
            Assert.False(unrelated.HasExited);
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
