using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Removes the fields a CRD's structural schema does not declare, as the API server prunes them, and reports
/// their paths. apiVersion, kind and metadata at the root (and in embedded resources) are always kept.
/// </summary>
public static class SchemaPruner
{
    /// <summary>Prunes <paramref name="value"/> in place; returns the paths removed (e.g. <c>spec.foo</c>, <c>spec.items[0].bar</c>).</summary>
    public static IReadOnlyList<string> Prune(JsonNode schema, JsonObject value)
    {
        var removed = new List<string>();
        PruneObject(schema, value, "", removed, isResource: true);
        return removed;
    }

    private static void Walk(JsonNode? schema, JsonNode? value, string path, List<string> removed)
    {
        if (schema is not JsonObject s)
        {
            return;
        }

        switch (value)
        {
            case JsonObject o:
                PruneObject(s, o, path, removed, isResource: Flag(s, "x-kubernetes-embedded-resource"));
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(s["items"], a[i], $"{path}[{i}]", removed);
                }

                break;
        }
    }

    private static void PruneObject(JsonNode schema, JsonObject value, string path, List<string> removed, bool isResource)
    {
        var s = schema as JsonObject ?? new JsonObject();
        var properties = s["properties"] as JsonObject;
        var additional = s["additionalProperties"];
        var preserve = Flag(s, "x-kubernetes-preserve-unknown-fields");
        foreach (var key in value.Select(p => p.Key).ToList())
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (isResource && key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (properties?[key] is JsonNode propSchema)
            {
                Walk(propSchema, value[key], childPath, removed);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Walk(additionalSchema, value[key], childPath, removed);
            }
            else if (preserve || (additional is JsonValue av && av.TryGetValue<bool>(out var allowed) && allowed))
            {
                continue;
            }
            else
            {
                value.Remove(key);
                removed.Add(childPath);
            }
        }
    }

    private static bool Flag(JsonObject s, string name) => s[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
