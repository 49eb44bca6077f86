namespace PgReplica.Sandbox.Api;

/// <summary>The built-in kinds the sandbox serves.</summary>
internal static class BuiltInResources
{
    private static readonly string[] All = ["all"];
    private static readonly string[] None = [];

    /// <summary>Every built-in resource.</summary>
    public static readonly IReadOnlyList<ApiResource> Resources =
    [
        new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], None, true),
        new("", "v1", "nodes", "node", "Node", false, ["no"], None, true),
        new("", "v1", "pods", "pod", "Pod", true, ["po"], All, true, ConnectSubresources: ["log", "exec"]),
        new("", "v1", "services", "service", "Service", true, ["svc"], All, true),
        new("", "v1", "endpoints", "endpoints", "Endpoints", true, ["ep"], None, false),
        new("", "v1", "secrets", "secret", "Secret", true, None, None, false),
        new("", "v1", "configmaps", "configmap", "ConfigMap", true, ["cm"], None, false),
        new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, ["pvc"], None, true),
        new("", "v1", "events", "event", "Event", true, ["ev"], None, false),
        new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"], None, false),
        new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, None, None, false),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, ["crd", "crds"], ["api-extensions"], true),
    ];
}
