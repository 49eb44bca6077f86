using System.Runtime.InteropServices;

namespace PgReplica.Sandbox.Node;

/// <summary>An OS account from /etc/passwd, and chown to it.</summary>
internal sealed record OsUser(string Name, int Uid, int Gid, string Home)
{
    /// <summary>Looks the user up in /etc/passwd.</summary>
    public static OsUser Find(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length >= 7 && f[0] == name)
            {
                return new OsUser(name, int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), f[5]);
            }
        }

        throw new InvalidOperationException($"OS user {name} does not exist");
    }

    /// <summary>Makes the user own the path.</summary>
    public void Own(string path)
    {
        if (NativeChown(path, Uid, Gid) != 0)
        {
            throw new IOException($"chown {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Creates the directory (and parents) owned by the user with the given mode.</summary>
    public void CreateOwnedDirectory(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        Own(path);
        FileModes.Set(path, mode);
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int NativeChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);
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
