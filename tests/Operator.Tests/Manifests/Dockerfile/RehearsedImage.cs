using System.Runtime.InteropServices;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>The repository's Dockerfile, rehearsed once per test run into a temporary folder (see <see cref="DockerBuildRehearsal"/>).</summary>
public sealed class RehearsedImage : IAsyncLifetime
{
    private readonly string _workRoot = Path.Combine(Path.GetTempPath(), $"pgreplica-image-{Guid.NewGuid():N}");

    internal DockerfileDocument Dockerfile { get; } =
        DockerfileDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("Dockerfile")));

    internal DockerBuildRehearsal Rehearsal { get; private set; } = null!;

    /// <summary>The failure of the rehearsal, if it failed (reported by the test that needs the build).</summary>
    internal Exception? Failure { get; private set; }

    /// <summary>The Docker name of this machine's architecture, as BuildKit passes it in TARGETARCH.</summary>
    internal static string TargetArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>Where the shipped stage's file at <paramref name="imagePath"/> lies after the rehearsal.</summary>
    internal string FinalPath(string imagePath) => Rehearsal.MapPath(Dockerfile.Final, imagePath);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Rehearsal = new DockerBuildRehearsal(RepositoryRoot.Path, _workRoot,
            new Dictionary<string, string> { ["TARGETARCH"] = TargetArch });
        try
        {
            await Rehearsal.RunAsync(Dockerfile);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or IOException or TimeoutException)
        {
            Failure = e;
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        if (Directory.Exists(_workRoot))
        {
            Directory.Delete(_workRoot, recursive: true);
        }
        return Task.CompletedTask;
    }
}
