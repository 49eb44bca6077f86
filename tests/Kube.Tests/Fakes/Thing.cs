using PgReplica.Kube.Models;

namespace PgReplica.Kube.Tests.Fakes;

/// <summary>A custom resource for tests, serialised by reflection (not in the generated context).</summary>
[KubernetesEntity(Group = "example.io", ApiVersion = "v1", Kind = "Thing", PluralName = "things")]
public sealed class Thing : CustomKubernetesEntity<ThingSpec, ThingStatus>
{
    public Thing()
    {
        ApiVersion = "example.io/v1";
        Kind = "Thing";
    }

    public static Thing Named(string name, string ns = "default", int replicas = 1) =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = ns }, Spec = new ThingSpec { Replicas = replicas } };
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
