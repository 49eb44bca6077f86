using System.Diagnostics;

namespace PgReplica.EndToEnd.Tests;

/// <summary>The machine's real kubectl against the sandbox's kubeconfig, with its own discovery cache.</summary>
public sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory }.Concat(args)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
        }

        return await stdout;
    }

    /// <summary>kubectl apply -f of YAML text written to a temp file.</summary>
    public async Task<string> ApplyAsync(string yaml)
    {
        var file = Path.Combine(cacheDirectory, $"apply-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            return await RunAsync("apply", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
