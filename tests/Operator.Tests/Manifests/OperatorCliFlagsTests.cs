using PgReplica.Operator.Tests.Manifests.Dockerfile;
using PgReplica.Operator.Tests.Manifests.Kustomize;

namespace PgReplica.Operator.Tests.Manifests;

/// <summary>The shipped binary starts, and its <c>run</c> command takes every option the image's CMD and the Deployment pass.</summary>
public sealed class OperatorCliFlagsTests(RehearsedImage image, RenderedDefault rendered)
    : IClassFixture<RehearsedImage>, IClassFixture<RenderedDefault>
{
    [Fact]
    public async Task TheRunCommandTakesEveryOptionTheManifestsPass()
    {
        Assert.Null(image.Failure);
        var entrypoint = image.Dockerfile.Final.Last("ENTRYPOINT")!.ExecForm!;
        var cmd = image.Dockerfile.Final.Last("CMD")?.ExecForm ?? [];
        var args = rendered.Container["args"]!.AsArray().Select(a => a!.GetValue<string>());
        var flags = cmd.Concat(args).Where(a => a.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();

        var help = await ExternalCommand.RunAsync(image.FinalPath(entrypoint[0]), [.. entrypoint.Skip(1), "--help"]);

        Assert.True(help.ExitCode == 0, help.Output);
        Assert.NotEmpty(flags);
        Assert.All(flags, flag => Assert.True(
            help.Stdout.Contains(flag + " ", StringComparison.Ordinal) || help.Stdout.Contains(flag + "\n", StringComparison.Ordinal)
            || help.Stdout.Contains(flag + ",", StringComparison.Ordinal),
            $"`{string.Join(' ', entrypoint)}` has no option {flag}:\n{help.Stdout}"));
    }
}
