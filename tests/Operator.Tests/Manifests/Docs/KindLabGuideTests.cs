using System.Text.RegularExpressions;
using PgReplica.Operator.Tests.Manifests.Kustomize;

namespace PgReplica.Operator.Tests.Manifests.Docs;

/// <summary>docs/kind-lab.md uses only commands, files, names and flags that exist in this repository.</summary>
public sealed partial class KindLabGuideTests(RenderedDefault rendered) : IClassFixture<RenderedDefault>
{
    private static readonly string GuidePath = RepositoryRoot.Combine("docs", "kind-lab.md");
    private static readonly IReadOnlyList<GuideBlock> Blocks = GuideBlocks.Parse(File.ReadAllText(GuidePath));

    private static IEnumerable<GuideBlock> Shell => Blocks.Where(b => b.Info == "sh" || b.Info.StartsWith("sh ", StringComparison.Ordinal));

    /// <summary>Blocks a script runs on the sandbox (the foreground one is started apart).</summary>
    private static IEnumerable<GuideBlock> SandboxRunnable => Blocks.Where(b => b.Info is "sh" or "sh sandbox");

    private static IEnumerable<string> ShellLines => Shell.SelectMany(b => b.CommandLines);

    [Fact]
    public void EveryBlockIsMarkedForWhereItRuns()
    {
        Assert.NotEmpty(Blocks);
        Assert.All(Blocks, block => Assert.Contains(block.Info, new[] { "sh", "sh kind", "sh sandbox", "sh sandbox-foreground", "console" }));
        Assert.Contains(Blocks, b => b.Info == "sh sandbox-foreground");
        Assert.True(SandboxRunnable.Count() >= 10, "the lab part should be runnable on the sandbox");
    }

    [Fact]
    public async Task BashParsesEveryShellBlock()
    {
        foreach (var block in Shell)
        {
            var result = await ExternalCommand.RunAsync("bash", ["-n", "-c", block.Text]);

            Assert.True(result.ExitCode == 0, $"docs/kind-lab.md line {block.Line}: {result.Stderr}");
        }
    }

    [Fact]
    public void ShellBlocksRunOnlyKnownPrograms()
    {
        string[] known = ["kubectl", "kind", "docker", "dotnet", "export", "echo", "sleep", "seq", "base64", "sh", "break"];

        Assert.All(ShellLines.SelectMany(GuideBlocks.Programs), program => Assert.Contains(program, known));
    }

    [Fact]
    public void SandboxBlocksUseOnlyKubectlVerbsTheSandboxServes()
    {
        // apply/get/wait/delete/scale speak list, watch, CRUD and the scale subresource; exec the sandbox serves too.
        string[] served = ["apply", "get", "wait", "exec", "scale", "delete"];
        var used = SandboxRunnable.SelectMany(b => b.CommandLines).SelectMany(KubectlVerbs).ToHashSet();

        Assert.Subset(served.ToHashSet(), used);
    }

    [Fact]
    public void FilesAndFoldersTheGuideNamesExist()
    {
        var paths = ShellLines.SelectMany(line => PathArgument().Matches(line).Select(m => m.Groups["path"].Value)).ToList();

        Assert.Contains("config/default", paths);
        Assert.Contains("config/samples/pgreplica_v1alpha1_postgresreplicaset.yaml", paths);
        Assert.All(paths, path => Assert.True(File.Exists(RepositoryRoot.Combine(path)) || Directory.Exists(RepositoryRoot.Combine(path)), path));
    }

    [Fact]
    public void TheImageBuiltAndLoadedIsTheOneTheManifestsRun()
    {
        var image = rendered.Container["image"]!.GetValue<string>();

        Assert.Contains($"docker build -t {image} .", ShellLines);
        Assert.Contains(ShellLines, line => line.StartsWith($"kind load docker-image {image} ", StringComparison.Ordinal));
    }

    [Fact]
    public void TheOperatorsNamespaceAndDeploymentAreTheRenderedOnes()
    {
        var deployment = $"deployment/{KustomizeBuild.Name(rendered.Deployment)}";
        var namespaces = ShellLines.Concat(Blocks.Where(b => b.Info == "console").SelectMany(b => b.CommandLines))
            .SelectMany(line => NamespaceFlag().Matches(line).Select(m => m.Groups["ns"].Value)).ToList();

        Assert.NotEmpty(namespaces);
        Assert.All(namespaces, ns => Assert.Equal(RenderedDefault.OperatorNamespace, ns));
        Assert.Contains(ShellLines, line => line.Contains(deployment, StringComparison.Ordinal));
    }

    [Fact]
    public void PodsSlotsAndServicesAreNamedAfterTheSample()
    {
        var sample = YamlDocuments.ParseFile(RepositoryRoot.Combine("config", "samples", "pgreplica_v1alpha1_postgresreplicaset.yaml"));
        var cluster = KustomizeBuild.Name(sample)!;
        var text = string.Join('\n', ShellLines);

        Assert.All(InstanceName().Matches(text).Select(m => m.Groups["cluster"].Value), name => Assert.Equal(cluster, name));
        Assert.Contains($"pgrs/{cluster}", text, StringComparison.Ordinal);
        Assert.Contains($"-h {cluster}-ro", text, StringComparison.Ordinal);
        Assert.Contains($"secret {cluster}-replication", text, StringComparison.Ordinal);
        Assert.Equal(2, sample["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public void TheGuideUsesTheOperatorsLabelsSecretKeyAndSuperuser()
    {
        var sample = YamlDocuments.ParseFile(RepositoryRoot.Combine("config", "samples", "pgreplica_v1alpha1_postgresreplicaset.yaml"));
        var names = new PgReplica.Entities.Naming.ClusterNames(KustomizeBuild.Name(sample)!);
        var text = string.Join('\n', ShellLines);

        Assert.Contains($"-l {PgReplica.Entities.Naming.Labels.Cluster}={names.Cluster}", text, StringComparison.Ordinal);
        Assert.Contains($"-L {PgReplica.Entities.Naming.Labels.Role}", text, StringComparison.Ordinal);
        Assert.Contains($"secret {names.ReplicationSecret} -o jsonpath='{{.data.{PgReplica.Operator.Reconciliation.Builders.SecretBuilder.SuperuserPasswordKey}}}'", text, StringComparison.Ordinal);
        Assert.Contains($"-h {names.ReadOnlyService} -U {PgReplica.Operator.Reconciliation.PgHba.Superuser}", text, StringComparison.Ordinal);
        Assert.All(Regex.Matches(text, @"psql -U (?<user>\w+)").Select(m => m.Groups["user"].Value),
            user => Assert.Equal(PgReplica.Operator.Reconciliation.PgHba.Superuser, user));
    }

    [Fact]
    public void TheSandboxIsStartedThroughTheOperatorsSandboxSubcommand()
    {
        var start = Assert.Single(Blocks, b => b.Info == "sh sandbox-foreground").CommandLines.Single();

        Assert.Equal("dotnet run --project src/Operator -- sandbox", start);
        Assert.Contains("sandbox", PgReplica.Operator.Cli.OperatorCommandLine.Subcommands);
        Assert.True(File.Exists(RepositoryRoot.Combine("src", "Operator", "Operator.csproj")));
    }

    private static IEnumerable<string> KubectlVerbs(string line) => Regex.Split(line, @"\||&&|;|\$\(")
        .Select(part => part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(words => words.Length > 1 && words[0] == "kubectl")
        .Select(words => words.Skip(1).SkipWhile(w => w.StartsWith('-')).First());

    [GeneratedRegex(@"(?:^|\s)(?:-k|-f|--project)\s+(?<path>(?:config|src)/[^\s]+)")]
    private static partial Regex PathArgument();

    [GeneratedRegex(@"(?:^|\s)-n\s+(?<ns>[a-z0-9-]+)")]
    private static partial Regex NamespaceFlag();

    [GeneratedRegex(@"\b(?<cluster>[a-z]+)-[1-9]\b")]
    private static partial Regex InstanceName();
}
