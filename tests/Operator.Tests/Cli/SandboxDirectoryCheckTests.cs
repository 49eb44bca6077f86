using PgReplica.Operator.Cli;

namespace PgReplica.Operator.Tests.Cli;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SandboxDirectoryCheckTests
{
    [Fact]
    public void AFolderInsideAPrivateParentIsReported()
    {
        var parent = Directory.CreateTempSubdirectory("pgr-private-").FullName;
        try
        {
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            Assert.Equal(parent, SandboxDirectoryCheck.UntraversableAncestor(Path.Combine(parent, ".sandbox")));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public void AFolderEveryoneCanReachPasses()
    {
        var parent = Directory.CreateTempSubdirectory("pgr-open-").FullName;
        try
        {
            File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);

            Assert.Null(SandboxDirectoryCheck.UntraversableAncestor(Path.Combine(parent, ".sandbox", "not-yet-made")));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
