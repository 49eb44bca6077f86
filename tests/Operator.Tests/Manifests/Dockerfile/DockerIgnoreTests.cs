namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>.dockerignore patterns match as Docker matches them, and the repository's file keeps the build inputs in.</summary>
public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("**/bin/", "src/Kube/bin/Debug/Kube.dll", true)]
    [InlineData("**/bin/", "bin/x", true)]
    [InlineData("**/bin/", "src/binary.cs", false)]
    [InlineData("docs/", "docs/kind-lab.md", true)]
    [InlineData("docs/", "src/docs/x.cs", false)]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/kind-lab.md", false)]
    [InlineData("src/*/obj", "src/Kube/obj/project.assets.json", true)]
    [InlineData("tests/\n!tests/keep.txt", "tests/keep.txt", false)]
    [InlineData("tests/\n!tests/keep.txt", "tests/other.txt", true)]
    public void PatternsMatchAsDockerDoes(string patterns, string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Parse(patterns).Excludes(path));
    }

    [Theory]
    [InlineData("Directory.Build.props", false)]
    [InlineData("src/Operator/Operator.csproj", false)]
    [InlineData("src/Operator/Program.cs", false)]
    [InlineData("src/Operator/obj/project.assets.json", true)]
    [InlineData("src/Kube/bin/Debug/net10.0/Kube.dll", true)]
    [InlineData(".git/HEAD", true)]
    [InlineData(".sandbox/kubeconfig", true)]
    [InlineData("tests/Operator.Tests/Operator.Tests.csproj", true)]
    public void TheRepositorysDockerignoreSendsOnlyBuildInputs(string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse(File.ReadAllText(RepositoryRoot.Combine(".dockerignore")));

        Assert.Equal(excluded, ignore.Excludes(path));
    }
}
