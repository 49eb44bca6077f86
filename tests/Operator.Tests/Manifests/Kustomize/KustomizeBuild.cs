using System.Text.Json.Nodes;

namespace PgReplica.Operator.Tests.Manifests.Kustomize;

/// <summary>The objects <c>kubectl kustomize</c> renders from a folder, with look-ups by kind and name.</summary>
internal sealed class KustomizeBuild
{
    private KustomizeBuild(IReadOnlyList<JsonNode> objects) => Objects = objects;

    /// <summary>Every rendered object, in kustomize's output order.</summary>
    public IReadOnlyList<JsonNode> Objects { get; }

    /// <summary>Renders <paramref name="folder"/> with the real kubectl; a failure throws with kubectl's output.</summary>
    public static async Task<KustomizeBuild> RenderAsync(string folder)
    {
        var result = await ExternalCommand.RunAsync("kubectl", ["kustomize", folder]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {folder} failed\n{result.Output}");
        }
        return new KustomizeBuild(YamlDocuments.Parse(result.Stdout));
    }

    /// <summary>Objects of a kind.</summary>
    public IEnumerable<JsonNode> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    /// <summary>The one object of a kind (fails the test when there are none or several).</summary>
    public JsonNode Single(string kind) => Assert.Single(OfKind(kind));

    /// <summary>The object of a kind with a name, or null.</summary>
    public JsonNode? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => Name(o) == name);

    /// <summary><c>kind</c> of an object.</summary>
    public static string? Kind(JsonNode o) => o["kind"]?.GetValue<string>();

    /// <summary><c>metadata.name</c> of an object.</summary>
    public static string? Name(JsonNode o) => o["metadata"]?["name"]?.GetValue<string>();

    /// <summary><c>metadata.namespace</c> of an object, or null.</summary>
    public static string? Namespace(JsonNode o) => o["metadata"]?["namespace"]?.GetValue<string>();
}
