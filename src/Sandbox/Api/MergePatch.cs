using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>JSON merge patch (RFC 7386): objects merge, null deletes, anything else replaces.</summary>
public static class MergePatch
{
    /// <summary>The target with the patch applied (target is not modified).</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        return result;
    }
}
