using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PgReplica.Operator.Tests.Postgres;

/// <summary>Runs PostgreSQL 15 binaries as the postgres OS user, in a temp directory, on a loopback port.</summary>
public static class LocalPostgres
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";

    /// <summary>A free loopback TCP port (free at the moment of asking).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A fresh directory owned by the postgres user.</summary>
    public static string CreateOwnedTempDirectory(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        Run("chown", ["postgres:postgres", dir], asPostgres: false);
        return dir;
    }

    /// <summary>Writes a file readable only by the postgres user (a password file, say).</summary>
    public static void WriteOwnedFile(string path, string content)
    {
        File.WriteAllText(path, content);
        Run("chmod", ["600", path], asPostgres: false);
        Run("chown", ["postgres:postgres", path], asPostgres: false);
    }

    /// <summary>Runs a PostgreSQL binary as the postgres user and fails with its output when it fails.</summary>
    public static string Pg(string binary, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        Run(Path.Combine(BinDir, binary), args, asPostgres: true, env);

    /// <summary>Runs a command, optionally via runuser as postgres; throws with stdout/stderr on a non-zero exit.</summary>
    public static string Run(string file, IEnumerable<string> args, bool asPostgres, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }

        foreach (var a in args) start.ArgumentList.Add(a);
        if (env is not null)
        {
            foreach (var (k, v) in env) start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
        }

        return stdout.Result + stderr.Result;
    }
}
