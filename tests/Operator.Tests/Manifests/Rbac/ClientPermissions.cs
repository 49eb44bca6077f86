using System.Reflection;
using k8s;
using k8s.Models;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>
/// Turns client calls into the RBAC permissions they need: the client method gives the verb (and
/// subresource), the entity type's [KubernetesEntity] attribute gives the group and resource.
/// </summary>
internal static class ClientPermissions
{
    /// <summary>The client's types: calls on them are what the scan records.</summary>
    public static IReadOnlySet<string> ClientTypes { get; } = new HashSet<string>
    {
        "PgReplica.Kube.Client.IKubernetesClient",
        "PgReplica.Kube.Client.KubernetesApiClient",
    };

    /// <summary>Client method to (subresource, verb). A method not listed here fails the RBAC test until it is added.</summary>
    public static IReadOnlyDictionary<string, (string Subresource, string Verb)> Verbs { get; } =
        new Dictionary<string, (string, string)>
        {
            ["GetAsync"] = ("", "get"),
            ["ListAsync"] = ("", "list"),
            ["WatchAsync"] = ("", "watch"),
            ["CreateAsync"] = ("", "create"),
            ["ReplaceAsync"] = ("", "update"),
            ["PatchAsync"] = ("", "patch"),
            ["DeleteAsync"] = ("", "delete"),
            ["ReplaceStatusAsync"] = ("status", "update"),
            ["PatchStatusAsync"] = ("status", "patch"),
            ["GetScaleAsync"] = ("scale", "get"),
            ["PatchScaleAsync"] = ("scale", "patch"),
        };

    /// <summary>The permission one call needs; throws for a method or type the table cannot place.</summary>
    public static RbacPermission For(ClientCall call)
    {
        if (!Verbs.TryGetValue(call.Method, out var verb))
        {
            throw new InvalidOperationException($"{call.Caller} calls {call.Method}, which ClientPermissions.Verbs does not map to a verb");
        }
        var entity = EntityType(call.Entity)?.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{call.Caller} calls {call.Method} on {call.Entity}, which has no [KubernetesEntity]");
        var resource = verb.Subresource.Length == 0 ? entity.PluralName : $"{entity.PluralName}/{verb.Subresource}";
        return new RbacPermission(entity.Group ?? "", resource, verb.Verb);
    }

    private static Type? EntityType(string fullName) => new[] { "Kube", "Entities", "pgreplica", "KubernetesClient" }
        .Select(name => Assembly.Load(name).GetType(fullName.Replace('/', '+')))
        .FirstOrDefault(type => type is not null);
}
