namespace PgReplica.Sandbox.Store;

/// <summary>Identifies a kind of stored object by API group and lower-case plural ("" and "pods" for Pods).</summary>
public readonly record struct ResourceType(string Group, string Plural)
{
    /// <summary>Core-group Pods.</summary>
    public static readonly ResourceType Pods = new("", "pods");

    /// <summary>Core-group Services.</summary>
    public static readonly ResourceType Services = new("", "services");

    /// <summary>Core-group Endpoints.</summary>
    public static readonly ResourceType Endpoints = new("", "endpoints");

    /// <summary>Core-group Secrets.</summary>
    public static readonly ResourceType Secrets = new("", "secrets");

    /// <summary>Core-group ConfigMaps.</summary>
    public static readonly ResourceType ConfigMaps = new("", "configmaps");

    /// <summary>Core-group ServiceAccounts.</summary>
    public static readonly ResourceType ServiceAccounts = new("", "serviceaccounts");

    /// <summary>Core-group PersistentVolumeClaims.</summary>
    public static readonly ResourceType PersistentVolumeClaims = new("", "persistentvolumeclaims");

    /// <summary>Core-group Events.</summary>
    public static readonly ResourceType Events = new("", "events");

    /// <summary>Core-group Nodes (cluster-scoped).</summary>
    public static readonly ResourceType Nodes = new("", "nodes");

    /// <summary>Core-group Namespaces (cluster-scoped).</summary>
    public static readonly ResourceType Namespaces = new("", "namespaces");

    /// <summary>coordination.k8s.io Leases.</summary>
    public static readonly ResourceType Leases = new("coordination.k8s.io", "leases");

    /// <summary>apiextensions.k8s.io CustomResourceDefinitions (cluster-scoped).</summary>
    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "customresourcedefinitions");

    /// <inheritdoc />
    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
