using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace PgReplica.EndToEnd.Tests;

/// <summary>`pgreplica sandbox` run as a child process, as a user runs it; its output is collected line by line.</summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> waiters = [];

    private SandboxProcess(Process process, string root)
    {
        this.process = process;
        Root = root;
    }

    /// <summary>The sandbox's --dir.</summary>
    public string Root { get; }

    /// <summary>The kubeconfig the sandbox writes.</summary>
    public string KubeconfigPath => Path.Combine(Root, "kubeconfig");

    /// <summary>Everything printed so far, stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts `dotnet pgreplica.dll sandbox --dir root --reset --metrics-address 127.0.0.1:0` plus extra arguments.</summary>
    public static SandboxProcess Start(string root, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "pgreplica.dll"), "sandbox", "--dir", root, "--reset", "--metrics-address", "127.0.0.1:0" }.Concat(extraArguments))
        {
            start.ArgumentList.Add(a);
        }

        var sandbox = new SandboxProcess(new Process { StartInfo = start }, root);
        sandbox.process.OutputDataReceived += (_, e) => sandbox.Collect(e.Data);
        sandbox.process.ErrorDataReceived += (_, e) => sandbox.Collect(e.Data);
        sandbox.process.Start();
        sandbox.process.BeginOutputReadLine();
        sandbox.process.BeginErrorReadLine();
        return sandbox;
    }

    /// <summary>Waits until a printed line matches; false if the process ended or the time ran out first.</summary>
    public async Task<bool> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            if (output.ToString().Split('\n').Any(l => match(l.TrimEnd('\r'))))
            {
                return true;
            }

            waiters.Add((match, seen));
        }

        await Task.WhenAny(seen.Task, process.WaitForExitAsync(), Task.Delay(timeout));
        return seen.Task.IsCompleted;
    }

    /// <summary>Sends SIGINT (Ctrl-C) and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        if (Kill(process.Id, 2) != 0)
        {
            throw new InvalidOperationException("could not signal the sandbox process");
        }

        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    /// <summary>Command lines of postgres processes that mention the sandbox's directory.</summary>
    public List<string> PostgresProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => ReadCommandLine(Path.Combine(d, "cmdline")))
            .Where(c => c.Contains("postgres", StringComparison.Ordinal) && c.Contains(Root, StringComparison.Ordinal))
            .ToList();

    /// <summary>The repository root (where Operator.sln is), found above the test's output folder.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            foreach (var waiter in waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }

    private static string ReadCommandLine(string file)
    {
        try
        {
            return File.ReadAllText(file).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
