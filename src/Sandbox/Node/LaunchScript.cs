using System.Text;

namespace PgReplica.Sandbox.Node;

/// <summary>One bind mount inside a container's mount namespace.</summary>
internal sealed record BindMount(string Source, string Target, bool ReadOnly);

/// <summary>
/// Builds the small shell scripts that set a container up: run by <c>unshare --mount --propagation slave</c>,
/// the launcher joins the container's cgroup, bind-mounts the volumes, /etc/hosts, the socket directory and the
/// pod's bin directory and the container's /etc/passwd and /etc/group, then drops to the container's uid, gid and
/// groups with setpriv and execs the container's argv (so the
/// container keeps the launcher's pid).
/// </summary>
internal static class LaunchScript
{
    /// <summary>Where a pod's unix socket directory appears in its containers (Debian's and the postgres image's default).</summary>
    public const string SocketMountPath = "/run/postgresql";

    /// <summary>Where a pod's bin directory (its postgres wrapper) appears in its containers, first on PATH.</summary>
    public const string BinMountPath = "/usr/local/bin";

    /// <summary>The launcher: cgroup, optional log redirection, mounts, cd, then <c>exec setpriv … -- "$@"</c>.</summary>
    public static string Launcher(IReadOnlyList<BindMount> mounts, string? logPath, string workingDir, IReadOnlyList<string> setpriv, string? hostname = null, string? cgroupProcs = null)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        // fd 3 keeps the pipe to the agent, which learns on it when the set-up is done.
        sb.Append("exec 3>&1\n");
        if (logPath is not null)
        {
            // Before the mounts, so that even a failing mount ends up in the container's log.
            sb.Append("exec </dev/null >>").Append(Quote(logPath)).Append(" 2>&1\n");
        }

        sb.Append("set -e\n");
        if (cgroupProcs is not null)
        {
            // First of all, so that every process the container ever starts is in its cgroup.
            sb.Append("echo $$ > ").Append(Quote(cgroupProcs)).Append('\n');
        }

        foreach (var m in mounts)
        {
            var src = Quote(m.Source);
            var dst = Quote(m.Target);
            // Mount points must exist; a file needs a file, a directory a directory.
            sb.Append("if [ -d ").Append(src).Append(" ]; then /bin/mkdir -p ").Append(dst)
              .Append("; elif [ ! -e ").Append(dst).Append(" ]; then /bin/mkdir -p \"$(/usr/bin/dirname ").Append(dst)
              .Append(")\"; : > ").Append(dst).Append("; fi\n");
            sb.Append("/bin/mount --bind ").Append(src).Append(' ').Append(dst).Append('\n');
            if (m.ReadOnly)
            {
                sb.Append("/bin/mount -o remount,bind,ro ").Append(dst).Append('\n');
            }
        }

        if (hostname is not null)
        {
            // The launcher runs in its own UTS namespace too, so this names only the pod's processes.
            sb.Append("/bin/hostname ").Append(Quote(hostname)).Append('\n');
        }

        sb.Append("cd ").Append(Quote(workingDir)).Append('\n');
        sb.Append("set +e\n");
        sb.Append("echo ").Append(StartedLine).Append(" >&3\n");
        sb.Append("exec 3>&-\n");
        sb.Append("exec ").Append(string.Join(' ', setpriv.Select(Quote))).Append(" \"$@\"\n");
        return sb.ToString();
    }

    /// <summary>
    /// The per-pod <c>postgres</c> found first on PATH: runs the real server bound to the pod's own address and
    /// socket directory only, since every pod shares the host's network.
    /// </summary>
    public static string PostgresWrapper(string realPostgres, string podIp) =>
        "#!/bin/sh\n" +
        $"exec {Quote(realPostgres)} \"$@\" -c listen_addresses={Quote(podIp)} -c unix_socket_directories={Quote(SocketMountPath)}\n";

    /// <summary>What the launcher writes on its stdout once the namespace is set up, right before it execs the container.</summary>
    public const string StartedLine = "sandbox-container-started";

    /// <summary>Single-quotes a word for sh.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
