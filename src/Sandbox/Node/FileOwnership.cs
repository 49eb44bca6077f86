using System.Runtime.InteropServices;

namespace PgReplica.Sandbox.Node;

/// <summary>Numeric owner and group of host files, as a volume shows them: no name look-ups, the host has no user 999 or 70.</summary>
internal static class FileOwnership
{
    /// <summary>chown; -1 leaves that id as it is. Does not follow a symlink.</summary>
    public static void Set(string path, long uid, long gid)
    {
        if (NativeLchown(path, (int)uid, (int)gid) != 0)
        {
            throw new IOException($"chown {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The owner's uid and the group's gid of the path (a symlink itself, not its target).</summary>
    public static (long Uid, long Gid) Get(string path)
    {
        // statx has one layout on every architecture: stx_uid at byte 20, stx_gid at byte 24.
        var buffer = new byte[256];
        if (NativeStatx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw new IOException($"statx {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24));
    }

    /// <summary>Creates the directory (and parents) with that owner and mode.</summary>
    public static void CreateDirectory(string path, long uid, long gid, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        Set(path, uid, gid);
        FileModes.Set(path, mode);
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int NativeLchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int NativeStatx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}

/// <summary>Unix permission bits, guarded so the analyzers accept the sandbox as Unix-only code.</summary>
internal static class FileModes
{
    /// <summary>chmod.</summary>
    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>The path's permission bits.</summary>
    public static UnixFileMode Get(string path) =>
        OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);
}
