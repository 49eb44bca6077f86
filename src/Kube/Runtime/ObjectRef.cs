using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>namespace/name of an object: the work-queue and cache key.</summary>
public readonly record struct ObjectRef(string? Namespace, string Name)
{
    /// <summary>The key of <paramref name="obj"/>.</summary>
    public static ObjectRef From(IKubernetesObject<V1ObjectMeta> obj) => new(obj.Metadata.NamespaceProperty, obj.Metadata.Name ?? "");

    /// <summary>"ns/name", or "name" for cluster-scoped objects.</summary>
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
