using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 ConfigMap.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "ConfigMap", PluralName = "configmaps")]
public sealed class ConfigMap : KubernetesObject
{
    /// <summary>A ConfigMap with apiVersion and kind filled in.</summary>
    public ConfigMap()
    {
        ApiVersion = "v1";
        Kind = "ConfigMap";
    }

    [JsonPropertyName("data")] public Dictionary<string, string>? Data { get; set; }
    [JsonPropertyName("binaryData")] public Dictionary<string, byte[]>? BinaryData { get; set; }
    [JsonPropertyName("immutable")] public bool? Immutable { get; set; }
}
