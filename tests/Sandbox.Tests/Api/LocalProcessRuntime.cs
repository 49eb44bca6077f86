using System.Diagnostics;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>
/// A stand-in for the node agent in API tests: logs are files the test writes, exec runs the command as a plain
/// local process (no container environment, no terminal).
/// </summary>
public sealed class LocalProcessRuntime(string logDirectory) : IPodRuntime
{
    public List<ExecRequest> Execs { get; } = new();

    public string LogFile(string pod, string container, bool previous = false) =>
        Path.Combine(logDirectory, $"{pod}-{container}{(previous ? ".previous" : "")}.log");

    public string? LogPath(string ns, string pod, string container, bool previous = false)
    {
        var path = LogFile(pod, container, previous);
        return File.Exists(path) ? path : null;
    }

    public async Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        lock (Execs)
        {
            Execs.Add(request);
        }

        var psi = new ProcessStartInfo(request.Command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in request.Command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdin = request.Stdin is null
            ? Task.CompletedTask
            : Task.Run(async () =>
            {
                await request.Stdin.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                process.StandardInput.Close();
            }, cancellationToken);
        if (request.Stdin is null)
        {
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.BaseStream.CopyToAsync(request.Stdout, cancellationToken);
        var stderr = process.StandardError.BaseStream.CopyToAsync(request.Stderr ?? request.Stdout, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(stdout, stderr);
        _ = stdin;
        return process.ExitCode;
    }
}
