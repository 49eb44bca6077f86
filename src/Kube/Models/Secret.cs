using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 Secret. <see cref="Data"/> is base64 on the wire and raw bytes here.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Secret", PluralName = "secrets")]
public sealed class Secret : KubernetesObject
{
    /// <summary>A Secret with apiVersion and kind filled in.</summary>
    public Secret()
    {
        ApiVersion = "v1";
        Kind = "Secret";
    }

    /// <summary>Values as bytes (System.Text.Json encodes byte[] as base64, as the API does).</summary>
    [JsonPropertyName("data")] public Dictionary<string, byte[]>? Data { get; set; }

    /// <summary>Write-only plain-text values the server merges into <see cref="Data"/>.</summary>
    [JsonPropertyName("stringData")] public Dictionary<string, string>? StringData { get; set; }

    /// <summary>e.g. Opaque.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("immutable")] public bool? Immutable { get; set; }
}
