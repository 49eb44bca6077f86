using System.Security.Cryptography;
using System.Text;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// The node's part of the cgroup v2 hierarchy: &lt;mount&gt;/pgreplica/&lt;node id&gt;/&lt;pod&gt;/&lt;container&gt;, as the
/// kubelet gives each pod and container a cgroup. A container's every process, including those that leave its
/// process group (postgres backends call setsid), is found, frozen and killed through it, and the kernel's packet
/// rules tell a pod's connections by it.
/// </summary>
internal sealed class Cgroups
{
    private const string SysFsCgroup = "/sys/fs/cgroup";

    private Cgroups(string mount, string nodePath)
    {
        Mount = mount;
        NodePath = nodePath;
    }

    /// <summary>Where the cgroup2 hierarchy is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host).</summary>
    public string Mount { get; }

    /// <summary>The node's own cgroup; its name derives from the node's root directory, so two sandboxes never share one.</summary>
    public string NodePath { get; }

    /// <summary>Finds the cgroup2 mount and creates the node's cgroup; throws a clear error when there is none to write to.</summary>
    public static Cgroups Open(string nodeRoot)
    {
        var cgroups = Locate(nodeRoot);
        try
        {
            Directory.CreateDirectory(cgroups.NodePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"the sandbox cannot create its cgroup {cgroups.NodePath}: {e.Message}", e);
        }

        return cgroups;
    }

    /// <summary>The node's cgroups for the root directory, without creating anything.</summary>
    public static Cgroups Locate(string nodeRoot, string mountInfo = "/proc/self/mountinfo")
    {
        // mountinfo: id parent major:minor root mount-point options ... - fstype source super-options
        var mount = File.ReadLines(mountInfo)
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 9 && Array.IndexOf(f, "-") is var dash && dash > 0 && dash + 1 < f.Length && f[dash + 1] == "cgroup2")
            .Select(f => f[4])
            .OrderBy(p => p.Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException("the sandbox needs a cgroup v2 hierarchy (mount -t cgroup2 none /sys/fs/cgroup/unified)");
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(nodeRoot))))[..12].ToLowerInvariant();
        return new Cgroups(mount, Path.Combine(mount, "pgreplica", id));
    }

    /// <summary>A pod's cgroup (not created).</summary>
    public string PodPath(string podKey) => Path.Combine(NodePath, podKey);

    /// <summary>
    /// The path as nftables' <c>socket cgroupv2</c> takes it (relative to /sys/fs/cgroup) and its depth in the
    /// hierarchy; null when the hierarchy is mounted elsewhere.
    /// </summary>
    public (string Path, int Level)? RulePath(string cgroup)
    {
        if (!cgroup.StartsWith(SysFsCgroup + "/", StringComparison.Ordinal))
        {
            return null;
        }

        return (Path.GetRelativePath(SysFsCgroup, cgroup), Path.GetRelativePath(Mount, cgroup).Split('/').Length);
    }

    /// <summary>Creates a cgroup.</summary>
    public static void Create(string cgroup) => Directory.CreateDirectory(cgroup);

    /// <summary>The file a process joins the cgroup through (write its pid).</summary>
    public static string ProcsFile(string cgroup) => Path.Combine(cgroup, "cgroup.procs");

    /// <summary>Every process in the cgroup and below.</summary>
    public static IReadOnlyList<int> Pids(string cgroup)
    {
        if (!Directory.Exists(cgroup))
        {
            return [];
        }

        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories(cgroup, "*", SearchOption.AllDirectories).Prepend(cgroup))
        {
            try
            {
                result.AddRange(File.ReadAllLines(ProcsFile(dir)).Where(l => l.Length > 0).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed meanwhile.
            }
        }

        return result;
    }

    /// <summary>Freezes (true) or thaws (false) every process of the cgroup and below, as a container runtime's pause does.</summary>
    public static void Freeze(string cgroup, bool frozen) =>
        File.WriteAllText(Path.Combine(cgroup, "cgroup.freeze"), frozen ? "1" : "0");

    /// <summary>True while the cgroup is frozen.</summary>
    public static bool Frozen(string cgroup)
    {
        var file = Path.Combine(cgroup, "cgroup.freeze");
        return File.Exists(file) && File.ReadAllText(file).Trim() == "1";
    }

    /// <summary>SIGKILLs every process of the cgroup and below (frozen ones too).</summary>
    public static void Kill(string cgroup)
    {
        var kill = Path.Combine(cgroup, "cgroup.kill");
        if (File.Exists(kill))
        {
            File.WriteAllText(kill, "1");
            return;
        }

        foreach (var pid in Pids(cgroup))
        {
            UnixSignal.Send(pid, UnixSignal.Kill);
        }
    }

    /// <summary>Removes the cgroup and those below once their processes are gone (waits up to the timeout for them to be reaped).</summary>
    public static async Task RemoveAsync(string cgroup, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Directory.Exists(cgroup))
        {
            try
            {
                foreach (var dir in Directory.EnumerateDirectories(cgroup, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(cgroup))
                {
                    Directory.Delete(dir);
                }

                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Busy: a killed process is not reaped yet.
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }
}
