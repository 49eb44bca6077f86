using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) for /api and /apis: every resource of every
/// group in one answer, which kubectl 1.32 asks for first.
/// </summary>
internal static class AggregatedDiscovery
{
    /// <summary>The Content-Type that tells the client the body is aggregated.</summary>
    public const string ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Whether the Accept header asks for the aggregated form (v2).</summary>
    public static bool Wanted(string accept) =>
        accept.Split(',').Any(a => a.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal)
            && a.Contains("v=v2", StringComparison.Ordinal) && !a.Contains("v=v2beta1", StringComparison.Ordinal));

    /// <summary>/api (core only) or /apis (every named group).</summary>
    public static JsonObject List(IReadOnlyList<ApiResource> all, bool core)
    {
        var groups = all.Where(r => (r.Group.Length == 0) == core).GroupBy(r => r.Group);
        var items = new JsonArray();
        foreach (var group in groups)
        {
            var versions = new JsonArray();
            foreach (var version in group.GroupBy(r => r.Version))
            {
                versions.Add(new JsonObject
                {
                    ["version"] = version.Key,
                    ["resources"] = new JsonArray(version.Select(r => (JsonNode)Resource(r)).ToArray()),
                    ["freshness"] = "Current",
                });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = group.Key.Length == 0 ? new JsonObject() : new JsonObject { ["name"] = group.Key },
                ["versions"] = versions,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject Resource(ApiResource r)
    {
        var subresources = new JsonArray();
        if (r.HasStatus)
        {
            subresources.Add(Sub("status", Gvk(r.Group, r.Version, r.Kind), ["get", "patch", "update"]));
        }

        if (r.Scale is not null)
        {
            subresources.Add(Sub("scale", Gvk("autoscaling", "v1", "Scale"), ["get", "patch", "update"]));
        }

        foreach (var connect in r.ConnectSubresources ?? [])
        {
            subresources.Add(connect == "exec"
                ? Sub(connect, Gvk("", "v1", "PodExecOptions"), ["create", "get"])
                : Sub(connect, Gvk("", "v1", "Pod"), ["get"]));
        }

        var resource = new JsonObject
        {
            ["resource"] = r.Plural,
            ["responseKind"] = Gvk(r.Group, r.Version, r.Kind),
            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.Singular,
            ["verbs"] = Strings(ObjectVerbs),
        };
        if (r.ShortNames.Count > 0)
        {
            resource["shortNames"] = Strings(r.ShortNames);
        }

        if (r.Categories.Count > 0)
        {
            resource["categories"] = Strings(r.Categories);
        }

        if (subresources.Count > 0)
        {
            resource["subresources"] = subresources;
        }

        return resource;
    }

    private static JsonObject Sub(string name, JsonObject kind, string[] verbs) => new()
    {
        ["subresource"] = name,
        ["responseKind"] = kind,
        ["verbs"] = Strings(verbs),
    };

    private static JsonObject Gvk(string group, string version, string kind) => new()
    {
        ["group"] = group,
        ["version"] = version,
        ["kind"] = kind,
    };

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode)i).ToArray());
}
