using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>The legacy discovery documents: /version, /api, /apis, /api/v1, /apis/&lt;g&gt;, /apis/&lt;g&gt;/&lt;v&gt;.</summary>
internal static class Discovery
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>/version, reporting 1.32 so the kubectl dispatcher picks kubectl 1.32.</summary>
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "sandbox",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    /// <summary>/api.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>/apis.</summary>
    public static JsonObject GroupList(IReadOnlyList<ApiResource> all) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(all.Where(r => r.Group.Length > 0).Select(r => r.Group).Distinct()
            .Select(g => (JsonNode)Group(all, g)!).ToArray()),
    };

    /// <summary>/apis/&lt;group&gt;, or null when no such group is served.</summary>
    public static JsonObject? Group(IReadOnlyList<ApiResource> all, string group)
    {
        var versions = all.Where(r => r.Group == group).Select(r => r.Version).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        JsonObject Gv(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Gv(v)).ToArray()),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    /// <summary>/api/v1 or /apis/&lt;g&gt;/&lt;v&gt;, with subresources, or null when nothing is served there.</summary>
    public static JsonObject? ResourceList(IReadOnlyList<ApiResource> all, string group, string version)
    {
        var resources = all.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var r in resources)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(ObjectVerbs),
                ["shortNames"] = Strings(r.ShortNames),
                ["categories"] = Strings(r.Categories),
            });
            if (r.HasStatus)
            {
                list.Add(Sub(r, "status", r.Kind, ["get", "patch", "update"]));
            }

            if (r.Scale is not null)
            {
                var scale = Sub(r, "scale", "Scale", ["get", "patch", "update"]);
                scale["group"] = "autoscaling";
                scale["version"] = "v1";
                list.Add(scale);
            }

            foreach (var connect in r.ConnectSubresources ?? [])
            {
                list.Add(Sub(r, connect, connect == "exec" ? "PodExecOptions" : "Pod", connect == "exec" ? ["create", "get"] : ["get"]));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private static JsonObject Sub(ApiResource r, string name, string kind, string[] verbs) => new()
    {
        ["name"] = $"{r.Plural}/{name}",
        ["singularName"] = "",
        ["namespaced"] = r.Namespaced,
        ["kind"] = kind,
        ["verbs"] = Strings(verbs),
    };

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode)i).ToArray());
}
