using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Minimal /openapi/v3 documents: enough for kubectl to see that every kind's PATCH takes the fieldValidation
/// parameter, so it leaves validation to the server (no strategic-merge content type is declared, so kubectl
/// computes strategic patches for built-ins from its own types and merge patches for custom resources).
/// </summary>
internal static class OpenApiDocuments
{
    /// <summary>/openapi/v3: one entry per served group/version.</summary>
    public static JsonObject Index(IReadOnlyList<ApiResource> all)
    {
        var paths = new JsonObject();
        foreach (var gv in all.Select(r => (r.Group, r.Version)).Distinct())
        {
            var key = Key(gv.Group, gv.Version);
            var doc = GroupVersion(all, gv.Group, gv.Version)!;
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(doc)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for one group/version, or null when nothing is served there.</summary>
    public static JsonObject? GroupVersion(IReadOnlyList<ApiResource> all, string group, string version)
    {
        var resources = all.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var r in resources)
        {
            var prefix = "/" + Key(group, version) + (r.Namespaced ? "/namespaces/{namespace}/" : "/") + r.Plural + "/{name}";
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = r.Kind };
            paths[prefix] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{r.Kind}",
                    ["parameters"] = new JsonArray(
                        Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
                    ["requestBody"] = new JsonObject
                    {
                        ["content"] = new JsonObject
                        {
                            ["application/json-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                            ["application/merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                        },
                    },
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                },
            };
            var schema = r.Schema?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            schemas[$"{(group.Length == 0 ? "io.k8s.api.core" : group)}.{version}.{r.Kind}"] = schema;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "pgreplica sandbox", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>Hash of a document, so its URL changes when it does.</summary>
    public static string Hash(JsonObject doc) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())))[..32];

    private static string Key(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string" },
    };
}
