using System.Collections.Concurrent;
using System.Reflection;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>Where a kind lives in the API, read once from the package's <see cref="KubernetesEntityAttribute"/>.</summary>
public sealed record EntityInfo(string Group, string Version, string Kind, string Plural, bool ClusterScoped)
{
    // The package's attribute carries no scope; these are the cluster-scoped kinds this project touches.
    private static readonly HashSet<string> ClusterScopedKinds = ["Namespace", "Node", "CustomResourceDefinition", "PersistentVolume", "StorageClass"];
    private static readonly ConcurrentDictionary<Type, EntityInfo> Cache = new();

    /// <summary>group/version, or just version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Metadata for <typeparamref name="T"/>.</summary>
    public static EntityInfo Of<T>() => Of(typeof(T));

    /// <summary>Metadata for <paramref name="type"/>; throws when the attribute is missing.</summary>
    public static EntityInfo Of(Type type) => Cache.GetOrAdd(type, static t =>
    {
        var a = t.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{t.Name} has no [KubernetesEntity] attribute.");
        var plural = string.IsNullOrEmpty(a.PluralName) ? a.Kind.ToLowerInvariant() + "s" : a.PluralName;
        return new EntityInfo(a.Group ?? "", a.ApiVersion, a.Kind, plural, ClusterScopedKinds.Contains(a.Kind));
    });
}
