using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// A claim's volume, of its declared size: a sparse image file &lt;root&gt;/volumes/&lt;ns&gt;/&lt;claim&gt;.img formatted
/// ext4 (with <c>-m0</c>, as the kubelet formats volumes) and loop-mounted at &lt;root&gt;/volumes/&lt;ns&gt;/&lt;claim&gt;.
/// A full volume fails writes with ENOSPC, as a cloud disk does. The image outlives the sandbox; the mount does not.
/// The volumes root is a shared mount and containers start with slave propagation, so unmounting a volume on the
/// host also unmounts the copies other pods' mount namespaces took of it, and its loop device detaches.
/// </summary>
internal static class ClaimVolume
{
    private static readonly object Gate = new();

    /// <summary>Makes the volumes root a shared mount (a bind of itself), whose mount and unmount events reach every container.</summary>
    public static void PrepareRoot(string volumesRoot)
    {
        Directory.CreateDirectory(volumesRoot);
        if (!IsMounted(volumesRoot))
        {
            Run("/usr/bin/mount", "--bind", volumesRoot, volumesRoot);
        }

        Run("/usr/bin/mount", "--make-shared", volumesRoot);
    }

    /// <summary>The mount point (what pods bind-mount).</summary>
    public static string MountPoint(string volumesRoot, string ns, string claim) => Path.Combine(volumesRoot, ns, claim);

    /// <summary>The image file.</summary>
    public static string Image(string volumesRoot, string ns, string claim) => MountPoint(volumesRoot, ns, claim) + ".img";

    /// <summary>Creates and formats the image when it is missing, mounts it when it is not mounted; returns the mount point.</summary>
    public static string Ensure(string volumesRoot, string ns, string claim, long bytes)
    {
        lock (Gate)
        {
            return EnsureLocked(volumesRoot, ns, claim, bytes);
        }
    }

    private static string EnsureLocked(string volumesRoot, string ns, string claim, long bytes)
    {
        var image = Image(volumesRoot, ns, claim);
        var mountPoint = MountPoint(volumesRoot, ns, claim);
        Directory.CreateDirectory(mountPoint);
        if (!File.Exists(image))
        {
            if (!IsMounted(mountPoint) && Directory.EnumerateFileSystemEntries(mountPoint).Any())
            {
                // A sandbox from before sized volumes kept claims as plain directories; never hide that data.
                throw new ContainerConfigException(
                    $"claim {ns}/{claim} holds data from an older sandbox as a plain directory ({mountPoint}); start the sandbox with --reset to begin anew");
            }

            var partial = image + ".partial";
            using (var f = new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                f.SetLength(bytes); // sparse: blocks are taken only as they are written
            }

            Run("/usr/sbin/mkfs.ext4", "-q", "-F", "-m", "0", partial);
            File.Move(partial, image);
        }

        if (!IsMounted(mountPoint))
        {
            // autoclear: the loop device goes with the last unmount.
            Run("/usr/bin/mount", "-o", "loop,nosuid,nodev", image, mountPoint);
            DirectIo(mountPoint);
            // A fresh volume is what mkfs leaves, as on a cluster: root's 0755 root with lost+found. The pod's
            // fsGroup (VolumeOwnership) is what lets a non-root container write to it.
        }

        return mountPoint;
    }

    // Direct I/O on the loop device keeps the data out of a second page cache (the backing file's): writes then cost
    // about what they cost on the host's filesystem. A backing filesystem without O_DIRECT (tmpfs) keeps buffered I/O.
    private static void DirectIo(string mountPoint)
    {
        var device = File.ReadLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 4 && Unescape(f[4]) == Path.GetFullPath(mountPoint).TrimEnd('/') && Array.IndexOf(f, "-") is var dash && dash > 0 && dash + 2 < f.Length)
            .Select(f => f[Array.IndexOf(f, "-") + 2])
            .LastOrDefault();
        if (device is not null && device.StartsWith("/dev/loop", StringComparison.Ordinal))
        {
            try
            {
                Run("/usr/sbin/losetup", "--direct-io=on", device);
            }
            catch (InvalidOperationException)
            {
                // Buffered I/O still works, only slower.
            }
        }
    }

    /// <summary>Unmounts the volume if mounted (the loop device detaches with it).</summary>
    public static void Unmount(string mountPoint)
    {
        if (IsMounted(mountPoint))
        {
            Run("/usr/bin/umount", mountPoint);
        }
    }

    /// <summary>Unmounts and deletes the volume: the reclaim policy Delete.</summary>
    public static void Delete(string volumesRoot, string ns, string claim)
    {
        lock (Gate)
        {
            DeleteLocked(volumesRoot, ns, claim);
        }
    }

    private static void DeleteLocked(string volumesRoot, string ns, string claim)
    {
        var mountPoint = MountPoint(volumesRoot, ns, claim);
        Unmount(mountPoint);
        if (Directory.Exists(mountPoint))
        {
            Directory.Delete(mountPoint, recursive: true);
        }

        File.Delete(Image(volumesRoot, ns, claim));
    }

    /// <summary>Unmounts every volume mounted under the root, then the root's own bind (at stop, and at start after a crash); returns how many.</summary>
    public static int UnmountAll(string volumesRoot, ILogger logger)
    {
        var root = Path.GetFullPath(volumesRoot).TrimEnd('/');
        var count = 0;
        foreach (var mountPoint in MountPoints().Where(m => m.StartsWith(root + "/", StringComparison.Ordinal) || m == root).OrderByDescending(m => m.Length))
        {
            if (UnmountPatiently(mountPoint, logger))
            {
                count++;
            }
        }

        return count;
    }

    // A process of a container that just ended may hold the mount a moment longer, and a mount namespace of a
    // container started by another sandbox on this machine may hold a copy: after a short wait, detach it lazily
    // (the loop device then goes when the last copy does).
    private static bool UnmountPatiently(string mountPoint, ILogger logger)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Run("/usr/bin/umount", attempt < 2 ? [mountPoint] : ["--lazy", mountPoint]);
                return true;
            }
            catch (InvalidOperationException e)
            {
                logger.LogDebug("unmounting {Volume}: {Error}", mountPoint, e.Message);
                Thread.Sleep(200);
            }
        }

        logger.LogWarning("could not unmount {Volume}", mountPoint);
        return false;
    }

    /// <summary>True when something is mounted exactly there (in this mount namespace).</summary>
    public static bool IsMounted(string path) => MountPoints().Contains(Path.GetFullPath(path).TrimEnd('/'));

    private static HashSet<string> MountPoints() =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 4)
            .Select(f => Unescape(f[4]))
            .ToHashSet(StringComparer.Ordinal);

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
             .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed: {error.Result.Trim()}");
        }
    }
}
