namespace PgReplica.Operator.Tests.Manifests;

/// <summary>Finds the repository's root (the folder holding Operator.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    /// <summary>Absolute path of the repository root.</summary>
    public static string Path { get; } = Find();

    /// <summary>An absolute path under the root, from slash-separated parts.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Operator.sln above {AppContext.BaseDirectory}");
    }
}
