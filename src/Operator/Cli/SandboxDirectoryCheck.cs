namespace PgReplica.Operator.Cli;

/// <summary>The sandbox runs pods as the postgres user, which must be able to reach the sandbox's directory.</summary>
public static class SandboxDirectoryCheck
{
    /// <summary>The first existing ancestor of dir that others cannot traverse (e.g. /root, mode 0700), or null when all can.</summary>
    public static string? UntraversableAncestor(string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        for (var current = new DirectoryInfo(Path.GetFullPath(dir)); current is not null; current = current.Parent)
        {
            if (current.Exists && (File.GetUnixFileMode(current.FullName) & UnixFileMode.OtherExecute) == 0)
            {
                return current.FullName;
            }
        }

        return null;
    }
}
