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
    public static SandboxProcess Start(string root, params string[] extraArguments) =>
        StartIn("/", root, [Path.Combine(AppContext.BaseDirectory, "pgreplica.dll"), "sandbox", "--dir", root, "--reset", "--metrics-address", "127.0.0.1:0", .. extraArguments]);

    /// <summary>Starts `dotnet arguments…` in a working directory, for a sandbox that keeps its state in root.</summary>
    public static SandboxProcess StartIn(string workingDirectory, string root, IEnumerable<string> arguments)
    {
        // Under a shell that runs the tests in the background, SIGINT comes ignored, and an ignored signal stays
        // ignored across exec: env restores its default so that the test's Ctrl-C reaches the sandbox.
        var start = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in new[] { "--default-signal=INT", "dotnet" }.Concat(arguments))
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

    /// <summary>
    /// Sends SIGINT as a terminal's Ctrl-C does, to the process and to its descendants in its process group (under
    /// `dotnet run`, the app itself; never the pods, which run in sessions of their own), and waits for the process to
    /// exit; returns its exit code.
    /// </summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        if (Kill(process.Id, 2) != 0)
        {
            throw new InvalidOperationException("could not signal the sandbox process");
        }

        foreach (var child in ForegroundDescendants(process.Id))
        {
            Kill(child, 2);
        }

        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    private static List<int> ForegroundDescendants(int pid)
    {
        // /proc/PID/stat: pid (comm) state ppid pgrp …; comm may hold spaces, so read after the last ')'.
        var stats = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
            .Where(p => p > 0)
            .Select(p => (Pid: p, Fields: ReadCommandLine($"/proc/{p}/stat") is var s && s.LastIndexOf(')') is var i and > 0 ? s[(i + 2)..].Split(' ') : []))
            .Where(s => s.Fields.Length > 2)
            .Select(s => (s.Pid, Parent: int.Parse(s.Fields[1], System.Globalization.CultureInfo.InvariantCulture), Group: int.Parse(s.Fields[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var group = stats.FirstOrDefault(s => s.Pid == pid).Group;
        var result = new List<int>();
        var parents = new HashSet<int> { pid };
        for (var added = true; added;)
        {
            var next = stats.Where(s => parents.Contains(s.Parent) && !parents.Contains(s.Pid) && s.Group == group).Select(s => s.Pid).ToList();
            result.AddRange(next);
            parents.UnionWith(next);
            added = next.Count > 0;
        }

        return result;
    }

    /// <summary>Command lines of the postgres processes the sandbox's node runs (its pods' cgroups).</summary>
    public List<string> PostgresProcesses() =>
        Sandbox.SandboxComponents.ProcessesOf(Root)
            .Select(pid => ReadCommandLine($"/proc/{pid}/cmdline"))
            .Where(c => c.Contains("postgres", StringComparison.Ordinal))
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
