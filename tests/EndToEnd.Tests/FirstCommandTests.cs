using System.Diagnostics;

namespace PgReplica.EndToEnd.Tests;

/// <summary>
/// A newcomer's first command, from a clone inside a folder only root may enter (as /root is): README's
/// `dotnet run --project src/Operator -- sandbox --apply …`, then the fault CLI against it, then Ctrl-C.
/// </summary>
[Collection(SandboxCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FirstCommandTests
{
    private const string Sample = "config/samples/pgreplica_v1alpha1_postgresreplicaset.yaml";

    [Fact]
    public async Task ReadmeFirstCommandRunsFromACloneUnderAClosedFolder()
    {
        var closed = Directory.CreateTempSubdirectory("pgr-closed-").FullName;
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = Path.Combine(closed, "nc");
        try
        {
            await CopyCheckoutAsync(SandboxProcess.RepoRoot(), clone);
            var root = Path.Combine(clone, ".sandbox");
            // The README's command as written, with the metrics port left to the system (8080 may be taken here).
            await using var sandbox = SandboxProcess.StartIn(clone, root,
                ["run", "--project", "src/Operator", "--", "sandbox", "--apply", Sample, "--metrics-address", "127.0.0.1:0"]);
            var ready = await sandbox.WaitForLineAsync(
                l => l.StartsWith("pgrs/orders:", StringComparison.Ordinal) && l.Contains("ready 2", StringComparison.Ordinal) && l.Contains("phase Ready", StringComparison.Ordinal),
                TimeSpan.FromMinutes(10));
            Assert.True(ready, "the sample never became Ready:\n" + sandbox.Output);

            // The fault CLI reaches the running sandbox through its API server, named by <dir>/kubeconfig.
            var cut = await PgreplicaAsync(clone, "sandbox", "fault", "partition", "orders-2");
            Assert.Matches(@"partition\s+default\s+orders-2\s+operator", cut);
            Assert.Matches(@"partition\s+default\s+orders-2\s+operator", await PgreplicaAsync(clone, "sandbox", "fault", "list"));
            Assert.Contains("no faults in force", await PgreplicaAsync(clone, "sandbox", "fault", "heal"), StringComparison.Ordinal);

            var exit = await sandbox.InterruptAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, "exit code " + exit + "\n" + sandbox.Output);
            Assert.Empty(sandbox.PostgresProcesses());
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(clone, StringComparison.Ordinal));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(closed));
        }
        finally
        {
            // A sandbox killed by a failed run leaves its volumes mounted; the next one on this directory would unmount them.
            using (var umount = Process.Start("umount", ["-R", "--lazy", Path.Combine(clone, ".sandbox", "node", "volumes")]))
            {
                await umount.WaitForExitAsync();
            }

            SandboxCommandTests.DeleteQuietly(closed);
        }
    }

    /// <summary>What a clone holds: the checkout's tracked (and new, not ignored) files.</summary>
    private static async Task CopyCheckoutAsync(string from, string to)
    {
        var files = (await RunAsync(from, "git", "ls-files", "-co", "--exclude-standard")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.Where(f => File.Exists(Path.Combine(from, f))))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, file))!);
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        }
    }

    private static Task<string> PgreplicaAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, "dotnet", [Path.Combine(AppContext.BaseDirectory, "pgreplica.dll"), .. args]);

    private static async Task<string> RunAsync(string workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await error}{await output}");
        return await output;
    }
}
