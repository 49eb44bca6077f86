using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>metav1.ObjectMeta: the fields the operator and sandbox read or write.</summary>
public sealed class ObjectMeta
{
    /// <summary>Object name, unique per namespace and kind.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Prefix the server completes to a unique name.</summary>
    [JsonPropertyName("generateName")]
    public string? GenerateName { get; set; }

    /// <summary>Namespace; null for cluster-scoped objects.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Server-assigned unique id.</summary>
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    /// <summary>Opaque version for optimistic concurrency.</summary>
    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    /// <summary>Bumped on every change to the desired state.</summary>
    [JsonPropertyName("generation")]
    public long? Generation { get; set; }

    /// <summary>When the object was created.</summary>
    [JsonPropertyName("creationTimestamp")]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; set; }

    /// <summary>Set when deletion was requested while finalizers remain.</summary>
    [JsonPropertyName("deletionTimestamp")]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? DeletionTimestamp { get; set; }

    /// <summary>Grace period requested for deletion.</summary>
    [JsonPropertyName("deletionGracePeriodSeconds")]
    public long? DeletionGracePeriodSeconds { get; set; }

    /// <summary>Labels for selection.</summary>
    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Non-identifying annotations.</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Finalizers that must be removed before the object goes.</summary>
    [JsonPropertyName("finalizers")]
    public List<string>? Finalizers { get; set; }

    /// <summary>Owners, for garbage collection.</summary>
    [JsonPropertyName("ownerReferences")]
    public List<OwnerReference>? OwnerReferences { get; set; }

    /// <summary>Fields this type does not model (managedFields and the like).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>metav1.OwnerReference.</summary>
public sealed class OwnerReference
{
    /// <summary>Owner's apiVersion.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    /// <summary>Owner's kind.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    /// <summary>Owner's name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Owner's uid.</summary>
    [JsonPropertyName("uid")]
    public string Uid { get; set; } = "";

    /// <summary>True when the owner is the managing controller.</summary>
    [JsonPropertyName("controller")]
    public bool? Controller { get; set; }

    /// <summary>True when foreground deletion of the owner waits for this dependent.</summary>
    [JsonPropertyName("blockOwnerDeletion")]
    public bool? BlockOwnerDeletion { get; set; }
}

/// <summary>metav1.Condition.</summary>
public sealed class Condition
{
    /// <summary>Condition type, e.g. Ready.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>True, False or Unknown.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "Unknown";

    /// <summary>Generation the condition was computed for.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>When the status last changed.</summary>
    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset LastTransitionTime { get; set; }

    /// <summary>CamelCase machine-readable reason.</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    /// <summary>Human-readable message.</summary>
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
