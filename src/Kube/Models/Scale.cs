using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>autoscaling/v1 Scale, spoken by the /scale subresource.</summary>
[KubernetesEntity(Group = "autoscaling", ApiVersion = "v1", Kind = "Scale", PluralName = "scale")]
public sealed class Scale : KubernetesObject
{
    /// <summary>A Scale with apiVersion and kind filled in.</summary>
    public Scale()
    {
        ApiVersion = "autoscaling/v1";
        Kind = "Scale";
    }

    [JsonPropertyName("spec")] public ScaleSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ScaleStatus? Status { get; set; }
}

/// <summary>autoscaling/v1 ScaleSpec.</summary>
public sealed class ScaleSpec
{
    [JsonPropertyName("replicas")] public int? Replicas { get; set; }
}

/// <summary>autoscaling/v1 ScaleStatus; the selector is a string label selector.</summary>
public sealed class ScaleStatus
{
    [JsonPropertyName("replicas")] public int Replicas { get; set; }
    [JsonPropertyName("selector")] public string? Selector { get; set; }
}
