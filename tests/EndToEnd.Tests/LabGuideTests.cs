using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PgReplica.EndToEnd.Tests;

/// <summary>docs/kind-lab.md's shell blocks for the sandbox, run in order with bash and the real kubectl against `pgreplica sandbox`.</summary>
[Collection(SandboxCollection.Name)]
public sealed partial class LabGuideTests
{
    [Fact]
    public async Task EverySandboxBlockOfTheLabGuideRunsAndShowsWhatTheGuideSays()
    {
        var repo = SandboxProcess.RepoRoot();
        var blocks = SandboxBlocks(await File.ReadAllTextAsync(Path.Combine(repo, "docs", "kind-lab.md")));
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} runnable blocks found in the guide");

        // The guide runs from the repository root with the sandbox in .sandbox; a work folder that links config/ stands in.
        // Not CreateTempSubdirectory: its 0700 folder would keep the postgres user out of the pods' files.
        var work = Path.Combine("/tmp", "pgr-lab-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        Directory.CreateSymbolicLink(Path.Combine(work, "config"), Path.Combine(repo, "config"));
        var root = Path.Combine(work, ".sandbox");
        try
        {
            await using var sandbox = SandboxProcess.Start(root);
            Assert.True(await sandbox.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), TimeSpan.FromMinutes(2)), sandbox.Output);

            var transcript = new List<string>();
            foreach (var block in blocks)
            {
                var (exit, output) = await BashAsync(work, block);
                transcript.Add($"$ {block}\n{output}");
                Assert.True(exit == 0, $"block exited {exit}:\n{block}\n{output}\n--- sandbox ---\n{sandbox.Output}");
            }

            var all = string.Join("\n", transcript);
            Assert.Contains("orders-2 has 1000 rows", all);
            Assert.Contains("orders-3 has 1000 rows", all);
            Assert.Contains("the standby refused the write, as it should", all);
            Assert.Matches(@"127\.\d+\.\d+\.\d+\|t\|1000", all);
            Assert.Contains("No resources found", transcript[^1]);

            Assert.Equal(0, await sandbox.InterruptAsync(TimeSpan.FromMinutes(2)));
            Assert.Empty(sandbox.PostgresProcesses());
        }
        finally
        {
            SandboxCommandTests.DeleteQuietly(work);
        }
    }

    /// <summary>The ```sh and ```sh sandbox blocks, in order (kind-only and foreground blocks are left out).</summary>
    internal static List<string> SandboxBlocks(string markdown) =>
        Block().Matches(markdown).Select(m => m.Groups["body"].Value.Trim()).ToList();

    private static async Task<(int Exit, string Output)> BashAsync(string workingDirectory, string script)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        // Each block runs on its own, so the guide's `export KUBECONFIG=…` is given to all of them.
        start.Environment["KUBECONFIG"] = Path.Combine(workingDirectory, ".sandbox", "kubeconfig");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The guide's own waits time out after at most 15 minutes; past that the block is reported, not waited for.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(16));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "(timed out) " + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^```sh(?: sandbox)?\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
