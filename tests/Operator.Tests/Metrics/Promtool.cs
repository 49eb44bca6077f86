using System.Diagnostics;

namespace PgReplica.Operator.Tests.Metrics;

/// <summary>Runs the real promtool on exposition text.</summary>
internal static class Promtool
{
    public static async Task<(int Exit, string Output)> CheckMetricsAsync(string body)
    {
        var psi = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(body);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }
}
