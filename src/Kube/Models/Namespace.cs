using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 Namespace (cluster-scoped).</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Namespace", PluralName = "namespaces", ClusterScoped = true)]
public sealed class Namespace : KubernetesObject
{
    /// <summary>A Namespace with apiVersion and kind filled in.</summary>
    public Namespace()
    {
        ApiVersion = "v1";
        Kind = "Namespace";
    }

    [JsonPropertyName("spec")] public JsonElement? Spec { get; set; }
    [JsonPropertyName("status")] public JsonElement? Status { get; set; }
}
