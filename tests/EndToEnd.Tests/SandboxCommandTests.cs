namespace PgReplica.EndToEnd.Tests;

/// <summary>The README's main job, run as a user runs it: `pgreplica sandbox --apply <sample>`, then Ctrl-C.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxCommandTests
{
    [Fact]
    public async Task MainJobBringsUpTheSampleAndStopsCleanlyOnInterrupt()
    {
        var root = Path.Combine("/tmp", "pgr-main-" + Guid.NewGuid().ToString("N")[..8]);
        var sample = Path.Combine(SandboxProcess.RepoRoot(), "config", "samples", "pgreplica_v1alpha1_postgresreplicaset.yaml");
        try
        {
            await using var sandbox = SandboxProcess.Start(root, "--apply", sample);
            var ready = await sandbox.WaitForLineAsync(
                l => l.StartsWith("pgrs/orders:", StringComparison.Ordinal) && l.Contains("ready 2", StringComparison.Ordinal) && l.Contains("phase Ready", StringComparison.Ordinal),
                TimeSpan.FromMinutes(5));
            Assert.True(ready, "the sample never became Ready:\n" + sandbox.Output);

            var kubectl = new Kubectl(sandbox.KubeconfigPath, Directory.CreateTempSubdirectory("pgr-kubectl-").FullName);
            var table = await kubectl.RunAsync("get", "pgrs");
            Assert.Matches(@"orders\s+2\s+2\s+orders-1\s+\d+\s+Ready", table);
            Assert.Contains("export KUBECONFIG=" + sandbox.KubeconfigPath, sandbox.Output);

            // Ctrl-C: every pod stops gracefully, the process exits 0 and no postgres of this sandbox remains.
            var exit = await sandbox.InterruptAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, "exit code " + exit + "\n" + sandbox.Output);
            Assert.Empty(sandbox.PostgresProcesses());
        }
        finally
        {
            DeleteQuietly(root);
        }
    }

    internal static void DeleteQuietly(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
