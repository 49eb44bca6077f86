namespace PgReplica.Kube.Models;

/// <summary>Names the API group, version, kind and plural of a Kubernetes entity class (as KubeOps does).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KubernetesEntityAttribute : Attribute
{
    /// <summary>API group; empty for the core group.</summary>
    public string Group { get; init; } = "";

    /// <summary>API version within the group, e.g. <c>v1</c>.</summary>
    public string ApiVersion { get; init; } = "v1";

    /// <summary>Kind, e.g. <c>Pod</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Lower-case plural used in URLs, e.g. <c>pods</c>.</summary>
    public string PluralName { get; init; } = "";

    /// <summary>True for cluster-scoped kinds.</summary>
    public bool ClusterScoped { get; init; }
}
