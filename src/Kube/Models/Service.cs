using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 Service.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Service", PluralName = "services")]
public sealed class Service : KubernetesObject
{
    /// <summary>A Service with apiVersion and kind filled in.</summary>
    public Service()
    {
        ApiVersion = "v1";
        Kind = "Service";
    }

    [JsonPropertyName("spec")] public ServiceSpec? Spec { get; set; }
    [JsonPropertyName("status")] public JsonElement? Status { get; set; }
}

/// <summary>core/v1 ServiceSpec.</summary>
public sealed class ServiceSpec
{
    [JsonPropertyName("selector")] public Dictionary<string, string>? Selector { get; set; }
    [JsonPropertyName("ports")] public List<ServicePort>? Ports { get; set; }
    /// <summary>Assigned by the server; "None" for a headless Service.</summary>
    [JsonPropertyName("clusterIP")] public string? ClusterIP { get; set; }
    [JsonPropertyName("clusterIPs")] public List<string>? ClusterIPs { get; set; }
    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("publishNotReadyAddresses")] public bool? PublishNotReadyAddresses { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>core/v1 ServicePort.</summary>
public sealed class ServicePort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    /// <summary>A number or the name of a container port.</summary>
    [JsonPropertyName("targetPort")] public IntOrString? TargetPort { get; set; }
    [JsonPropertyName("nodePort")] public int? NodePort { get; set; }
}
