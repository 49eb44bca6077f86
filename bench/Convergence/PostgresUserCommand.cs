using System.Diagnostics;

namespace PgReplica.Bench.Convergence;

/// <summary>Runs PostgreSQL programs as the postgres OS user (postgres refuses root) through runuser.</summary>
public sealed class PostgresUserCommand(string binDirectory)
{
    /// <summary>The OS user PostgreSQL runs as.</summary>
    public const string User = "postgres";

    /// <summary>Runs <paramref name="program"/> (a name in the bin directory, or an absolute path); secrets go in <paramref name="environment"/>, never in args.</summary>
    public Task<string> RunAsync(string program, IReadOnlyList<string> args, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null) =>
        RunProcessAsync(
            "runuser",
            new[] { "-u", User, "--", Path.IsPathRooted(program) ? program : Path.Combine(binDirectory, program) }.Concat(args).ToList(),
            environment,
            ct);

    /// <summary>Gives a directory root created to the postgres user.</summary>
    public static Task GiveToPostgresAsync(string path, CancellationToken ct) =>
        RunProcessAsync("chown", [$"{User}:{User}", path], null, ct);

    private static async Task<string> RunProcessAsync(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(args.Count > 3 && file == "runuser" ? args[3] : file)} exited with {process.ExitCode}: {errors.Trim()}");
        }

        return output;
    }
}
