using System.Collections.Concurrent;
using System.Reflection;

namespace PgReplica.Kube.Models;

/// <summary>What the client needs to know about an entity type, read once from its <see cref="KubernetesEntityAttribute"/>.</summary>
public sealed record EntityInfo(string Group, string Version, string Kind, string Plural, bool ClusterScoped)
{
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
        var plural = a.PluralName.Length > 0 ? a.PluralName : a.Kind.ToLowerInvariant() + "s";
        return new EntityInfo(a.Group, a.ApiVersion, a.Kind, plural, a.ClusterScoped);
    });

    /// <summary>Collection path, e.g. <c>/api/v1/namespaces/ns/pods</c> or <c>/apis/g/v/things</c> (all namespaces when ns is null).</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return ClusterScoped || ns is null ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }

    /// <summary>Object path, e.g. <c>/api/v1/namespaces/ns/pods/name</c>.</summary>
    public string ObjectPath(string name, string? ns) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
}
