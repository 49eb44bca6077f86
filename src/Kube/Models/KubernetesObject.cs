using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>Any Kubernetes object: apiVersion, kind and metadata.</summary>
public interface IKubernetesObject
{
    /// <summary>group/version, or version for the core group.</summary>
    string ApiVersion { get; set; }

    /// <summary>The object's kind.</summary>
    string Kind { get; set; }

    /// <summary>The object's metadata.</summary>
    ObjectMeta Metadata { get; set; }
}

/// <summary>Base class of typed Kubernetes objects; unknown fields survive a read-modify-write.</summary>
public abstract class KubernetesObject : IKubernetesObject
{
    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>Fields this type does not model, kept so that a PUT does not drop them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A custom resource with a spec and a status, in the KubeOps manner.</summary>
public abstract class CustomKubernetesEntity<TSpec, TStatus> : KubernetesObject
    where TSpec : new()
    where TStatus : new()
{
    /// <summary>Desired state, written by users.</summary>
    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    /// <summary>Observed state, written by the controller through the status subresource.</summary>
    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}
