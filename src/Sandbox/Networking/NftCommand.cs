using System.Diagnostics;

namespace PgReplica.Sandbox.Networking;

/// <summary>Runs the nftables CLI: a script through <c>nft -f -</c>, or a listing.</summary>
internal static class NftCommand
{
    private const string Binary = "/usr/sbin/nft";

    /// <summary>True when nft is installed.</summary>
    public static bool Available => File.Exists(Binary);

    /// <summary>Applies a script as one transaction (all of it or nothing); throws with nft's message on failure.</summary>
    public static Task ApplyAsync(string script) => RunAsync(["-f", "-"], script);

    /// <summary>Names of the ip-family tables, from <c>nft list tables ip</c>.</summary>
    public static async Task<IReadOnlyList<string>> TablesAsync()
    {
        var output = await RunAsync(["list", "tables", "ip"], null).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("table ip ", StringComparison.Ordinal))
            .Select(l => l["table ip ".Length..].Trim())
            .ToList();
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> args, string? stdin)
    {
        if (!Available)
        {
            throw new InvalidOperationException(
                "the sandbox forwards Services and injects faults with nftables, as kube-proxy does: install it (apt-get install nftables)");
        }

        var psi = new ProcessStartInfo(Binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start nft");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"nft {string.Join(' ', args)} failed: {(await error.ConfigureAwait(false)).Trim()}");
        }

        return await output.ConfigureAwait(false);
    }
}
