using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>
/// Runs the Dockerfile's own restore and publish commands (same flags, same COPY steps, the same
/// .dockerignore) on this machine and checks that the shipped stage gets a runnable operator.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DockerfileBuildTests(RehearsedImage image) : IClassFixture<RehearsedImage>
{
    [Fact]
    public void TheBuildStageRunsTheOperatorsPublish()
    {
        Assert.Null(image.Failure);
        Assert.Contains(image.Rehearsal.Commands, command =>
            command.StartsWith("dotnet publish src/Operator/Operator.csproj", StringComparison.Ordinal)
            && command.Contains("-c Release", StringComparison.Ordinal)
            && command.Contains($"-a {RehearsedImage.TargetArch}", StringComparison.Ordinal));
    }

    [Fact]
    public void TheEntrypointIsAnExecutableInTheShippedStage()
    {
        Assert.Null(image.Failure);
        var entrypoint = image.Dockerfile.Final.Last("ENTRYPOINT")!.ExecForm!;
        Assert.Equal("run", entrypoint[1]);
        var binary = image.FinalPath(entrypoint[0]);

        Assert.True(File.Exists(binary), $"{entrypoint[0]} is not in the shipped stage");
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.OtherExecute), $"{entrypoint[0]} is not executable by a non-root user");
        Assert.Equal("pgreplica", Path.GetFileName(binary));
    }

    [Fact]
    public void TheShippedAssemblyIsReadyToRun()
    {
        Assert.Null(image.Failure);
        var shipped = image.FinalPath(image.Dockerfile.Final.Last("ENTRYPOINT")!.ExecForm![0] + ".dll");
        var plainBuild = Path.Combine(AppContext.BaseDirectory, "pgreplica.dll");

        Assert.True(HasReadyToRunCode(shipped), "the published pgreplica.dll carries no ReadyToRun code");
        Assert.False(HasReadyToRunCode(plainBuild), "the check cannot tell a plain build from ReadyToRun");
    }

    [Fact]
    public void TheRuntimeImageProvidesEveryFrameworkTheOperatorNeeds()
    {
        Assert.Null(image.Failure);
        var entry = image.Dockerfile.Final.Last("ENTRYPOINT")!.ExecForm![0];
        var config = JsonNode.Parse(File.ReadAllText(image.FinalPath(entry + ".runtimeconfig.json")))!;
        var frameworks = config["runtimeOptions"]!["frameworks"]?.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList()
            ?? [config["runtimeOptions"]!["framework"]!["name"]!.GetValue<string>()];
        var runtimeImage = image.Dockerfile.Final.Image;
        // aspnet images carry ASP.NET Core and the .NET runtime; runtime images only the latter.
        var provided = runtimeImage.Contains("/dotnet/aspnet:", StringComparison.Ordinal)
            ? new[] { "Microsoft.NETCore.App", "Microsoft.AspNetCore.App" }
            : runtimeImage.Contains("/dotnet/runtime:", StringComparison.Ordinal) ? ["Microsoft.NETCore.App"] : [];

        Assert.NotEmpty(frameworks);
        Assert.All(frameworks, framework => Assert.Contains(framework, provided));
    }

    private static bool HasReadyToRunCode(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }
}
