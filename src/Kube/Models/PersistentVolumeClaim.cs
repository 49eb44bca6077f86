using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 PersistentVolumeClaim.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "PersistentVolumeClaim", PluralName = "persistentvolumeclaims")]
public sealed class PersistentVolumeClaim : KubernetesObject
{
    /// <summary>A PVC with apiVersion and kind filled in.</summary>
    public PersistentVolumeClaim()
    {
        ApiVersion = "v1";
        Kind = "PersistentVolumeClaim";
    }

    [JsonPropertyName("spec")] public PersistentVolumeClaimSpec? Spec { get; set; }
    [JsonPropertyName("status")] public PersistentVolumeClaimStatus? Status { get; set; }
}

/// <summary>core/v1 PersistentVolumeClaimSpec.</summary>
public sealed class PersistentVolumeClaimSpec
{
    [JsonPropertyName("accessModes")] public List<string>? AccessModes { get; set; }
    /// <summary>requests.storage carries the size, e.g. 1Gi.</summary>
    [JsonPropertyName("resources")] public ResourceRequirements? Resources { get; set; }
    [JsonPropertyName("storageClassName")] public string? StorageClassName { get; set; }
    [JsonPropertyName("volumeName")] public string? VolumeName { get; set; }
    [JsonPropertyName("volumeMode")] public string? VolumeMode { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 PersistentVolumeClaimStatus.</summary>
public sealed class PersistentVolumeClaimStatus
{
    /// <summary>Pending, Bound or Lost.</summary>
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("accessModes")] public List<string>? AccessModes { get; set; }
    [JsonPropertyName("capacity")] public Dictionary<string, string>? Capacity { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
