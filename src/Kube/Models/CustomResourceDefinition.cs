using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition: enough to create and read one.</summary>
[KubernetesEntity(Group = "apiextensions.k8s.io", ApiVersion = "v1", Kind = "CustomResourceDefinition",
    PluralName = "customresourcedefinitions", ClusterScoped = true)]
public sealed class CustomResourceDefinition : KubernetesObject
{
    /// <summary>A CRD with apiVersion and kind filled in.</summary>
    public CustomResourceDefinition()
    {
        ApiVersion = "apiextensions.k8s.io/v1";
        Kind = "CustomResourceDefinition";
    }

    [JsonPropertyName("spec")] public CustomResourceDefinitionSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public JsonElement? Status { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinitionSpec.</summary>
public sealed class CustomResourceDefinitionSpec
{
    [JsonPropertyName("group")] public string Group { get; set; } = "";
    [JsonPropertyName("names")] public CustomResourceDefinitionNames Names { get; set; } = new();
    /// <summary>Namespaced or Cluster.</summary>
    [JsonPropertyName("scope")] public string Scope { get; set; } = "Namespaced";
    [JsonPropertyName("versions")] public List<CustomResourceDefinitionVersion> Versions { get; set; } = [];
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinitionNames.</summary>
public sealed class CustomResourceDefinitionNames
{
    [JsonPropertyName("plural")] public string Plural { get; set; } = "";
    [JsonPropertyName("singular")] public string? Singular { get; set; }
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("listKind")] public string? ListKind { get; set; }
    [JsonPropertyName("shortNames")] public List<string>? ShortNames { get; set; }
    [JsonPropertyName("categories")] public List<string>? Categories { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinitionVersion.</summary>
public sealed class CustomResourceDefinitionVersion
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("served")] public bool Served { get; set; }
    [JsonPropertyName("storage")] public bool Storage { get; set; }
    [JsonPropertyName("schema")] public CustomResourceValidation? Schema { get; set; }
    [JsonPropertyName("subresources")] public CustomResourceSubresources? Subresources { get; set; }
    [JsonPropertyName("additionalPrinterColumns")] public List<CustomResourceColumnDefinition>? AdditionalPrinterColumns { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceValidation; the schema stays a JSON tree.</summary>
public sealed class CustomResourceValidation
{
    [JsonPropertyName("openAPIV3Schema")] public JsonNode? OpenApiV3Schema { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceSubresources.</summary>
public sealed class CustomResourceSubresources
{
    /// <summary>Present (as <c>{}</c>) when the status subresource is on.</summary>
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
    [JsonPropertyName("scale")] public CustomResourceSubresourceScale? Scale { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceSubresourceScale.</summary>
public sealed class CustomResourceSubresourceScale
{
    [JsonPropertyName("specReplicasPath")] public string SpecReplicasPath { get; set; } = "";
    [JsonPropertyName("statusReplicasPath")] public string StatusReplicasPath { get; set; } = "";
    [JsonPropertyName("labelSelectorPath")] public string? LabelSelectorPath { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceColumnDefinition.</summary>
public sealed class CustomResourceColumnDefinition
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("type")] public string Type { get; set; } = "string";
    [JsonPropertyName("jsonPath")] public string JsonPath { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("format")] public string? Format { get; set; }
    [JsonPropertyName("priority")] public int? Priority { get; set; }
}
