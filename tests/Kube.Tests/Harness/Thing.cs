using k8s.Models;
using PgReplica.Kube.Client;

namespace PgReplica.Kube.Tests.Harness;

/// <summary>A custom resource for tests; <see cref="SandboxApi"/> installs its CRD (status and scale subresources).</summary>
[KubernetesEntity(Group = "example.io", ApiVersion = "v1", Kind = "Thing", PluralName = "things")]
public sealed class Thing : CustomKubernetesEntity<ThingSpec, ThingStatus>
{
    public Thing()
    {
        ApiVersion = "example.io/v1";
        Kind = "Thing";
    }

    public static Thing Named(string name, string ns = "default", int replicas = 1) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new ThingSpec { Replicas = replicas } };
}

public sealed class ThingSpec
{
    public int Replicas { get; set; }

    public string? Note { get; set; }
}

public sealed class ThingStatus
{
    public int Replicas { get; set; }

    public string? Phase { get; set; }

    public string? Selector { get; set; }
}
