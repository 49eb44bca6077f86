using System.Diagnostics;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Runs a command inside a running container: joins its mount namespace with nsenter and its cgroup, changes to its
/// working directory, drops to the container's identity (<see cref="ContainerIdentity.Setpriv"/>) and execs with the container's environment. With a tty the command runs
/// under <c>script</c>, which gives it a pseudo-terminal.
/// </summary>
internal static class ContainerExec
{
    /// <summary>Runs the command, pumps the streams, returns the exit code; kills it when cancelled.</summary>
    public static async Task<int> RunAsync(
        int containerPid,
        string workingDir,
        string? cgroupProcs,
        IReadOnlyList<string> setpriv,
        IReadOnlyDictionary<string, string> env,
        IReadOnlyList<string> command,
        Stream? stdin,
        Stream? stdout,
        Stream? stderr,
        bool tty,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/usr/bin/nsenter")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        // cd happens after entering the namespace so that it lands on the bind-mounted directory.
        foreach (var a in new[]
        {
            "-t", containerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "-u", "--", "/bin/sh", "-c",
            "if [ -n \"$2\" ]; then echo $$ > \"$2\" || exit 126; fi; cd \"$1\" 2>/dev/null || cd /; shift 2; "
                + "exec \"$@\"",
            "exec", workingDir, cgroupProcs ?? "",
        }.Concat(setpriv))
        {
            psi.ArgumentList.Add(a);
        }

        if (tty)
        {
            psi.ArgumentList.Add("/usr/bin/script");
            psi.ArgumentList.Add("-qfec");
            psi.ArgumentList.Add(string.Join(' ', command.Select(LaunchScript.Quote)));
            psi.ArgumentList.Add("/dev/null");
        }
        else
        {
            foreach (var a in command)
            {
                psi.ArgumentList.Add(a);
            }
        }

        psi.Environment.Clear();
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start nsenter");
        var outPump = Pump(p.StandardOutput.BaseStream, stdout);
        var errPump = Pump(p.StandardError.BaseStream, tty ? stdout : stderr);
        var inPump = Task.Run(async () =>
        {
            try
            {
                if (stdin is not null)
                {
                    await stdin.CopyToAsync(p.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The command ended or the client went away; nothing more to send.
            }
            finally
            {
                try
                {
                    p.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Already closed by the exiting command.
                }
            }
        }, CancellationToken.None);

        try
        {
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(outPump, errPump).ConfigureAwait(false);
        return p.ExitCode;
    }

    private static async Task Pump(Stream from, Stream? to)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (to is not null)
            {
                await to.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
                await to.FlushAsync().ConfigureAwait(false);
            }
        }
    }
}
