using System.Text.Json.Nodes;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>The permissions an RBAC role's rules grant, one per group × resource × verb.</summary>
internal static class GrantedPermissions
{
    /// <summary>Expands a Role's or ClusterRole's rules.</summary>
    public static IReadOnlySet<RbacPermission> Of(JsonNode role) => role["rules"]!.AsArray()
        .SelectMany(rule =>
            from g in Strings(rule!, "apiGroups")
            from r in Strings(rule!, "resources")
            from v in Strings(rule!, "verbs")
            select new RbacPermission(g, r, v))
        .ToHashSet();

    /// <summary>Every wildcard a role's rules hold.</summary>
    public static IEnumerable<string> Wildcards(JsonNode role) => role["rules"]!.AsArray()
        .SelectMany(rule => new[] { "apiGroups", "resources", "verbs" }
            .SelectMany(field => Strings(rule!, field).Where(value => value.Contains('*', StringComparison.Ordinal))
                .Select(value => $"{field}: {value}")));

    private static IEnumerable<string> Strings(JsonNode rule, string field) =>
        rule[field]?.AsArray().Select(value => value!.GetValue<string>()) ?? [];
}
