namespace PgReplica.Operator.Tests.Manifests.Kustomize;

/// <summary><c>kubectl kustomize config/default</c>, rendered once for the tests that read it.</summary>
public sealed class RenderedDefault : IAsyncLifetime
{
    /// <summary>The operator's namespace every namespaced object must land in.</summary>
    public const string OperatorNamespace = "pgreplica-system";

    internal KustomizeBuild Build { get; private set; } = null!;

    /// <summary>The operator's Deployment.</summary>
    internal System.Text.Json.Nodes.JsonNode Deployment => Build.Single("Deployment");

    /// <summary>The Deployment's pod spec.</summary>
    internal System.Text.Json.Nodes.JsonNode PodSpec => Deployment["spec"]!["template"]!["spec"]!;

    /// <summary>The operator's container.</summary>
    internal System.Text.Json.Nodes.JsonNode Container => Assert.Single(PodSpec["containers"]!.AsArray())!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Build = await KustomizeBuild.RenderAsync(RepositoryRoot.Combine("config", "default"));

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}
