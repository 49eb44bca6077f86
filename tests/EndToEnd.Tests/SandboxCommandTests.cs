using System.Diagnostics;
using System.Text;

namespace PgReplica.EndToEnd.Tests;

/// <summary>The README's main job, run as a user runs it: `pgreplica sandbox --apply <sample>`, then Ctrl-C.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxCommandTests
{
    [Fact]
    public async Task MainJobBringsUpTheSampleAndStopsCleanlyOnInterrupt()
    {
        var root = Path.Combine("/tmp", "pgr-main-" + Guid.NewGuid().ToString("N")[..8]);
        var sample = Path.Combine(RepoRoot(), "config", "samples", "pgreplica_v1alpha1_postgresreplicaset.yaml");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "pgreplica.dll"), "sandbox", "--dir", root, "--reset", "--metrics-address", "127.0.0.1:0", "--apply", sample })
        {
            start.ArgumentList.Add(a);
        }

        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("pgrs/orders:", StringComparison.Ordinal) && e.Data.Contains("ready 2", StringComparison.Ordinal) && e.Data.Contains("phase Ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(5)));
            Assert.True(ready.Task.IsCompleted, "the sample never became Ready:\n" + Snapshot(output));

            var kubeconfig = Path.Combine(root, "kubeconfig");
            var kubectl = new Kubectl(kubeconfig, Directory.CreateTempSubdirectory("pgr-kubectl-").FullName);
            var table = await kubectl.RunAsync("get", "pgrs");
            Assert.Matches(@"orders\s+2\s+2\s+orders-1\s+\d+\s+Ready", table);
            Assert.Contains("export KUBECONFIG=" + kubeconfig, Snapshot(output));

            // Ctrl-C: every pod stops gracefully, the process exits 0 and no postgres of this sandbox remains.
            Assert.Equal(0, Signal(process.Id, 2));
            using var stopDeadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(stopDeadline.Token);
            Assert.True(process.ExitCode == 0, "exit code " + process.ExitCode + "\n" + Snapshot(output));
            Assert.Empty(PostgresProcessesUnder(root));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static List<string> PostgresProcessesUnder(string root) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Select(f =>
            {
                try
                {
                    return File.ReadAllText(f).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return "";
                }
                catch (UnauthorizedAccessException)
                {
                    return "";
                }
            })
            .Where(c => c.Contains("postgres", StringComparison.Ordinal) && c.Contains(root, StringComparison.Ordinal))
            .ToList();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
