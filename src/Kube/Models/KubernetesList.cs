using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>A list answer (PodList, ThingList…): items plus the collection's resourceVersion.</summary>
public sealed class KubernetesList<T>
    where T : IKubernetesObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public List<T> Items { get; set; } = [];
}

/// <summary>meta/v1 ListMeta.</summary>
public sealed class ListMeta
{
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("continue")] public string? Continue { get; set; }
    [JsonPropertyName("remainingItemCount")] public long? RemainingItemCount { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>meta/v1 DeleteOptions.</summary>
public sealed class DeleteOptions
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "DeleteOptions";
    /// <summary>Background, Foreground or Orphan.</summary>
    [JsonPropertyName("propagationPolicy")] public string? PropagationPolicy { get; set; }
    [JsonPropertyName("gracePeriodSeconds")] public long? GracePeriodSeconds { get; set; }
    [JsonPropertyName("preconditions")] public Preconditions? Preconditions { get; set; }
}

/// <summary>meta/v1 Preconditions for a delete.</summary>
public sealed class Preconditions
{
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
}
