namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>The repository's Dockerfile passes every lint rule, and each rule catches what it is for.</summary>
public sealed class DockerfileRulesTests
{
    private const string Good = """
        # syntax=docker/dockerfile:1
        FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
        ARG TARGETARCH
        WORKDIR /src
        COPY src/ src/
        RUN dotnet publish src/App/App.csproj \
              -c Release -o /app
        FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled
        WORKDIR /app
        COPY --from=build /app ./
        USER 1654:1654
        ENV DOTNET_EnableDiagnostics=0
        EXPOSE 8080
        ENTRYPOINT ["/app/app", "run"]
        CMD ["--flag", "value"]
        """;

    [Fact]
    public void TheRepositoryDockerfilePassesEveryRule()
    {
        var dockerfile = DockerfileDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("Dockerfile")));

        Assert.Empty(DockerfileRules.Check(dockerfile));
    }

    [Fact]
    public void AWellFormedDockerfilePasses()
    {
        Assert.Empty(DockerfileRules.Check(DockerfileDocument.Parse(Good)));
    }

    [Fact]
    public void TheParserJoinsContinuationsAndReadsStages()
    {
        var dockerfile = DockerfileDocument.Parse(Good);

        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal("build", dockerfile.Stages[0].Name);
        Assert.Equal("$BUILDPLATFORM", dockerfile.Stages[0].Platform);
        var run = Assert.Single(dockerfile.Stages[0].All("RUN"));
        Assert.Equal(["dotnet", "publish", "src/App/App.csproj", "-c", "Release", "-o", "/app"], run.Operands);
        Assert.Equal(["/app/app", "run"], dockerfile.Final.Last("ENTRYPOINT")!.ExecForm);
        Assert.Equal("build", dockerfile.Final.Last("COPY")!.Flags["from"]);
    }

    [Theory]
    [InlineData("pinned-base-image", "aspnet:10.0.12-noble-chiseled", "aspnet:latest")]
    [InlineData("pinned-base-image", "aspnet:10.0.12-noble-chiseled", "aspnet:10.0-noble-chiseled")]
    [InlineData("pinned-base-image", "mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled", "mcr.microsoft.com/dotnet/aspnet")]
    [InlineData("multi-stage", "aspnet:10.0.12-noble-chiseled", "sdk:10.0.401-noble")]
    [InlineData("numeric-non-root-user", "USER 1654:1654", "USER app")]
    [InlineData("numeric-non-root-user", "USER 1654:1654", "USER 0")]
    [InlineData("numeric-non-root-user", "USER 1654:1654", "USER 1654:0")]
    [InlineData("numeric-non-root-user", "USER 1654:1654\n", "")]
    [InlineData("no-add", "COPY --from=build /app ./", "ADD https://example.com/app.tar.gz ./")]
    [InlineData("no-add", "COPY --from=build /app ./", "COPY --from=build /app ./\nADD app.tar.gz ./")]
    [InlineData("exec-form", "ENTRYPOINT [\"/app/app\", \"run\"]", "ENTRYPOINT /app/app run")]
    [InlineData("exec-form", "CMD [\"--flag\", \"value\"]", "CMD --flag value")]
    [InlineData("one-entrypoint", "CMD [\"--flag\", \"value\"]", "CMD [\"--flag\", \"value\"]\nCMD [\"--other\"]")]
    [InlineData("no-secrets", "ENV DOTNET_EnableDiagnostics=0", "ENV DOTNET_EnableDiagnostics=0 PGPASSWORD=hunter2")]
    [InlineData("no-secrets", "ARG TARGETARCH", "ARG GITHUB_TOKEN")]
    [InlineData("absolute-workdir", "WORKDIR /src", "WORKDIR src")]
    [InlineData("copy-from-stage", "COPY --from=build /app ./", "COPY --from=builder /app ./")]
    public void EachRuleCatchesItsViolation(string rule, string good, string bad)
    {
        Assert.Contains(good, Good, StringComparison.Ordinal);
        var broken = Good.Replace(good, bad, StringComparison.Ordinal);

        var violations = DockerfileRules.Check(DockerfileDocument.Parse(broken));

        Assert.Contains(violations, violation => violation.StartsWith(rule + ":", StringComparison.Ordinal));
    }
}
