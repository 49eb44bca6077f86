namespace PgReplica.EndToEnd.Tests;

/// <summary>`pgreplica sandbox --operator=false` serves the cluster alone; a `pgreplica run` started beside it reconciles, and dies alone.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxWithoutOperatorTests
{
    [Fact]
    public async Task ASeparateOperatorReconcilesAndCanBeKilledWhileTheSandboxRunsOn()
    {
        var root = Path.Combine("/tmp", "pgr-alone-" + Guid.NewGuid().ToString("N")[..8]);
        var sample = Path.Combine(SandboxProcess.RepoRoot(), "config", "samples", "pgreplica_v1alpha1_postgresreplicaset.yaml");
        try
        {
            await using var sandbox = SandboxProcess.Start(root, "--operator=false", "--apply", sample);
            Assert.True(await sandbox.WaitForLineAsync(l => l.Contains("no operator inside", StringComparison.Ordinal), TimeSpan.FromMinutes(2)), sandbox.Output);
            var kubectl = new Kubectl(sandbox.KubeconfigPath, Directory.CreateTempSubdirectory("pgr-kubectl-").FullName);
            Assert.Equal("", (await kubectl.RunAsync("get", "pods", "-o", "name")).Trim());

            // The operator as its own process, as on a cluster: it brings the sample up through the sandbox's API.
            await using (var operatorProcess = SandboxProcess.StartIn("/", root,
                [Path.Combine(AppContext.BaseDirectory, "pgreplica.dll"), "run", "--kubeconfig", sandbox.KubeconfigPath, "--metrics-address", "127.0.0.1:0", "--leader-elect", "false"]))
            {
                await kubectl.RunAsync("wait", "pgrs/orders", "--for=jsonpath={.status.phase}=Ready", "--timeout=300s");
            }

            // Killed (its process tree only): the cluster stays up, served by the sandbox.
            Assert.Matches(@"orders-1\s+1/1\s+Running", await kubectl.RunAsync("get", "pods"));
            Assert.Equal(0, await sandbox.InterruptAsync(TimeSpan.FromMinutes(2)));
            Assert.Empty(sandbox.PostgresProcesses());
        }
        finally
        {
            SandboxCommandTests.DeleteQuietly(root);
        }
    }
}
