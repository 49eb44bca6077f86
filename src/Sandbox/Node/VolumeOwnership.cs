namespace PgReplica.Sandbox.Node;

/// <summary>
/// fsGroup ownership management, as the kubelet applies it at each mount of a volume that supports it
/// (pkg/volume/volume_linux.go): every file and directory gets the group fsGroup and g+rw (g+r on a read-only
/// volume), directories also g+x and setgid; symlinks only change group. <c>fsGroupChangePolicy: OnRootMismatch</c>
/// skips the walk when the root already has that group and those bits; <c>Always</c> (the default) walks every time.
/// </summary>
internal static class VolumeOwnership
{
    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead;
    private const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute;

    /// <summary>Applies fsGroup to the volume; true when it walked the tree, false when there was nothing to do.</summary>
    public static bool Apply(string root, long? fsGroup, string? changePolicy, bool readOnly)
    {
        if (fsGroup is not { } gid || (changePolicy == "OnRootMismatch" && !RootMismatches(root, gid, readOnly)))
        {
            return false;
        }

        Change(new DirectoryInfo(root), gid, readOnly);
        // Enumeration does not descend into symlinked directories, as filepath.Walk does not.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options))
        {
            Change(entry, gid, readOnly);
        }

        return true;
    }

    /// <summary>The OnRootMismatch test: the root lacks the group, the permission bits or setgid.</summary>
    public static bool RootMismatches(string root, long gid, bool readOnly)
    {
        if (!Directory.Exists(root) || FileOwnership.Get(root).Gid != gid)
        {
            return true;
        }

        var wanted = (readOnly ? ReadOnly : ReadWrite) | Execute;
        var mode = FileModes.Get(root);
        return (mode & wanted) != wanted || (mode & UnixFileMode.SetGroup) == 0;
    }

    private static void Change(FileSystemInfo entry, long gid, bool readOnly)
    {
        FileOwnership.Set(entry.FullName, -1, gid);
        if (entry.LinkTarget is not null)
        {
            return;
        }

        var mask = readOnly ? ReadOnly : ReadWrite;
        if (entry is DirectoryInfo)
        {
            mask |= UnixFileMode.SetGroup | Execute;
        }

        FileModes.Set(entry.FullName, FileModes.Get(entry.FullName) | mask);
    }
}
