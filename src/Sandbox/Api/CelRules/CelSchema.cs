using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// A structural schema node as CEL sees it: an object's fields by their CEL names, a map's values, a list's items.
/// At the root of a resource (and of an embedded one) <c>metadata</c> shows only <c>name</c> and <c>generateName</c>.
/// </summary>
internal static class CelSchema
{
    private static readonly JsonObject StringSchema = new() { ["type"] = "string" };

    private static readonly JsonObject ResourceMetadata = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["name"] = StringSchema.DeepClone(), ["generateName"] = StringSchema.DeepClone() },
    };

    /// <summary>The node's <c>type</c>, or "" when it has none (int-or-string, or anything goes).</summary>
    public static string Type(JsonObject? schema) => schema?["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : "";

    /// <summary>Whether the node is the root of an (embedded) resource.</summary>
    public static bool IsResourceRoot(JsonObject schema, bool root) =>
        root || (schema["x-kubernetes-embedded-resource"] is JsonValue v && v.TryGetValue<bool>(out var embedded) && embedded);

    /// <summary>A map's value schema (null when any value goes), for objects with additionalProperties.</summary>
    public static bool IsMap(JsonObject? schema, out JsonObject? values)
    {
        values = schema?["additionalProperties"] as JsonObject;
        return values is not null || (schema?["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var any) && any);
    }

    /// <summary>A list's item schema.</summary>
    public static JsonObject? Items(JsonObject? schema) => Type(schema) == "array" ? schema!["items"] as JsonObject : null;

    /// <summary>Whether fields beyond the declared ones may be present (their names are not checked).</summary>
    public static bool IsOpen(JsonObject? schema) =>
        schema is null || Type(schema) == "" || (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue v && v.TryGetValue<bool>(out var open) && open);

    /// <summary>The object's fields by CEL name: the JSON property and its schema. Empty for a non-object.</summary>
    public static IReadOnlyDictionary<string, (string Property, JsonObject Schema)> Fields(JsonObject schema, bool resourceRoot)
    {
        var fields = new Dictionary<string, (string, JsonObject)>(StringComparer.Ordinal);
        foreach (var (property, propertySchema) in schema["properties"] as JsonObject ?? [])
        {
            if (CelNames.Escape(property) is { } name && propertySchema is JsonObject s)
            {
                fields[name] = (property, s);
            }
        }

        if (IsResourceRoot(schema, resourceRoot))
        {
            fields["apiVersion"] = ("apiVersion", StringSchema);
            fields["kind"] = ("kind", StringSchema);
            fields["metadata"] = ("metadata", ResourceMetadata);
        }

        return fields;
    }

    /// <summary>A schema of one primitive type, for results the checker knows (literals, comparisons, size()).</summary>
    public static JsonObject Of(string type) => new() { ["type"] = type };
}
