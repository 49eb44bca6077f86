using Microsoft.Extensions.Logging.Abstractions;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// A volume of a fixed size made exactly as a claim's volume (<see cref="ClaimVolume"/>), for processes outside
/// the sandbox's pods: a benchmark gives its hand-made standby the same kind of disk as the operator's.
/// </summary>
public static class StandaloneVolume
{
    private const string Namespace = "standalone";

    /// <summary>Prepares the volumes root (a shared mount, as the node agent's).</summary>
    public static void PrepareRoot(string volumesRoot) => ClaimVolume.PrepareRoot(volumesRoot);

    /// <summary>
    /// Makes, formats and mounts the image of <paramref name="name"/>; returns the mount point, empty and 0700 (as a DBA
    /// prepares a data directory: no lost+found, which initdb and pg_basebackup refuse), still root's: give it to its user.
    /// </summary>
    public static string Mount(string volumesRoot, string name, long bytes)
    {
        var mountPoint = ClaimVolume.Ensure(volumesRoot, Namespace, name, bytes);
        var lostAndFound = Path.Combine(mountPoint, "lost+found");
        if (Directory.Exists(lostAndFound))
        {
            Directory.Delete(lostAndFound);
        }

        FileModes.Set(mountPoint, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return mountPoint;
    }

    /// <summary>Unmounts the volume and deletes its image.</summary>
    public static void Delete(string volumesRoot, string name) => ClaimVolume.Delete(volumesRoot, Namespace, name);

    /// <summary>Unmounts every volume under the root and the root's own bind mount.</summary>
    public static void UnmountAll(string volumesRoot) => ClaimVolume.UnmountAll(volumesRoot, NullLogger.Instance);
}
