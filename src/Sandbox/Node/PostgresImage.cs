using System.Diagnostics;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// The only image family the sandbox runs: <c>postgres</c> / <c>postgres:&lt;tag&gt;</c> (optionally docker.io/library/…),
/// backed by the machine's PostgreSQL binaries whatever the tag says.
/// </summary>
internal sealed class PostgresImage
{
    private PostgresImage(string binDirectory, string version)
    {
        BinDirectory = binDirectory;
        Version = version;
    }

    /// <summary>Directory holding postgres, initdb, pg_basebackup, psql, pg_ctl, pg_isready.</summary>
    public string BinDirectory { get; }

    /// <summary>The real server version, e.g. 15.18.</summary>
    public string Version { get; }

    /// <summary>What status.containerStatuses[].imageID reports: the binaries actually used.</summary>
    public string ImageId => $"sandbox://postgresql@{Version}";

    /// <summary>Major version, e.g. 15.</summary>
    public string Major => Version.Split('.')[0];

    /// <summary>True for postgres, postgres:17, docker.io/library/postgres:16-alpine, postgres@sha256:….</summary>
    public static bool Accepts(string image)
    {
        var name = image;
        var at = name.IndexOf('@');
        if (at >= 0)
        {
            name = name[..at];
        }

        var lastSlash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', lastSlash + 1);
        if (colon >= 0)
        {
            name = name[..colon];
        }

        return name is "postgres" or "library/postgres" or "docker.io/library/postgres" or "docker.io/postgres";
    }

    /// <summary>
    /// The environment the postgres image declares (its Dockerfile ENV lines). PATH starts with /usr/local/bin, where
    /// the pod's postgres wrapper is mounted, and has the PostgreSQL binaries before Debian's /usr/bin wrappers.
    /// </summary>
    public Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["PATH"] = $"{LaunchScript.BinMountPath}:{BinDirectory}:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["PGDATA"] = "/var/lib/postgresql/data",
        ["PG_MAJOR"] = Major,
        ["PG_VERSION"] = Version,
        ["LANG"] = "C.UTF-8",
    };

    /// <summary>
    /// The accounts of the image's /etc/passwd and /etc/group that matter here: the Debian-based images
    /// (postgres:&lt;tag&gt;) create postgres as 999:999, the Alpine ones (postgres:&lt;tag&gt;-alpine) as 70:70.
    /// Neither sets USER, so a container without runAsUser runs as root, as it would on a cluster.
    /// </summary>
    public static ImageAccounts Accounts(string image) => IsAlpine(image) ? AlpineAccounts : DebianAccounts;

    /// <summary>The uid and gid the image's Dockerfile runs as when the pod names none: root.</summary>
    public const int DefaultUid = 0;

    private static readonly ImageAccounts DebianAccounts = new(
        [
            new("root", 0, 0, "/root", "/bin/bash"),
            new("daemon", 1, 1, "/usr/sbin", "/usr/sbin/nologin"),
            new("nobody", 65534, 65534, "/nonexistent", "/usr/sbin/nologin"),
            new("postgres", 999, 999, "/var/lib/postgresql", "/bin/bash"),
        ],
        [("root", 0), ("daemon", 1), ("nogroup", 65534), ("postgres", 999)]);

    private static readonly ImageAccounts AlpineAccounts = new(
        [
            new("root", 0, 0, "/root", "/bin/sh"),
            new("nobody", 65534, 65534, "/", "/sbin/nologin"),
            new("postgres", 70, 70, "/var/lib/postgresql", "/bin/sh"),
        ],
        [("root", 0), ("nobody", 65534), ("postgres", 70)]);

    // postgres:16-alpine, postgres:alpine3.20, postgres:17.2-alpine@sha256:…
    private static bool IsAlpine(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') && name[(colon + 1)..].Contains("alpine", StringComparison.Ordinal);
    }

    /// <summary>
    /// The argv to run: command+args as Kubernetes combines them with the image's ENTRYPOINT/CMD.
    /// The image's entrypoint is taken as "run postgres" (CMD postgres; leading-dash args go to postgres),
    /// without the docker image's initdb-on-empty step.
    /// </summary>
    public static IReadOnlyList<string> Argv(IReadOnlyList<string>? command, IReadOnlyList<string>? args)
    {
        if (command is { Count: > 0 })
        {
            return command.Concat(args ?? []).ToList();
        }

        if (args is { Count: > 0 })
        {
            return args[0].StartsWith('-') ? new[] { "postgres" }.Concat(args).ToList() : args.ToList();
        }

        return ["postgres"];
    }

    /// <summary>Finds the binaries: an explicit directory, else the highest /usr/lib/postgresql/*/bin, else pg_config --bindir.</summary>
    public static PostgresImage Discover(string? binDirectory)
    {
        var dir = binDirectory ?? Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "postgres")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault() ?? Run("pg_config", "--bindir").Trim();
        // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        var versionLine = Run(Path.Combine(dir, "postgres"), "--version");
        var parts = versionLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var version = parts.Length >= 3 ? parts[2] : versionLine.Trim();
        return new PostgresImage(dir, version);
    }

    private static string Run(string file, string arg)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"cannot run {file}");
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}

/// <summary>One /etc/passwd line.</summary>
internal sealed record ImageUser(string Name, int Uid, int Gid, string Home, string Shell)
{
    /// <summary>The line as /etc/passwd has it.</summary>
    public string PasswdLine => $"{Name}:x:{Uid}:{Gid}::{Home}:{Shell}";
}

/// <summary>An image's users and groups.</summary>
internal sealed record ImageAccounts(IReadOnlyList<ImageUser> Users, IReadOnlyList<(string Name, int Gid)> Groups)
{
    /// <summary>The image's postgres user.</summary>
    public ImageUser Postgres => Users.Single(u => u.Name == "postgres");

    /// <summary>The user with that uid, or null.</summary>
    public ImageUser? ByUid(long uid) => Users.FirstOrDefault(u => u.Uid == uid);
}
