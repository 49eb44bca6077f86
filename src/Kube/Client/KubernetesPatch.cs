using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>A PATCH body with its content type: JSON merge patch or JSON Patch (RFC 6902).</summary>
public sealed record KubernetesPatch(string ContentType, string Body)
{
    /// <summary>application/merge-patch+json.</summary>
    public const string MergePatchType = "application/merge-patch+json";

    /// <summary>application/json-patch+json.</summary>
    public const string JsonPatchType = "application/json-patch+json";

    /// <summary>A merge patch from any serialisable object or JsonNode.</summary>
    public static KubernetesPatch Merge<T>(T body) =>
        new(MergePatchType, body is JsonNode node ? node.ToJsonString() : KubernetesJson.Serialize(body));

    /// <summary>A JSON Patch from its operations.</summary>
    public static KubernetesPatch Json(JsonPatch patch) => new(JsonPatchType, patch.ToJson());

    /// <summary>The package's patch object (it adds the charset to the content type).</summary>
    public V1Patch ToV1Patch() => new(Body, ContentType == JsonPatchType ? V1Patch.PatchType.JsonPatch : V1Patch.PatchType.MergePatch);
}

/// <summary>Builds RFC 6902 JSON Patch operations; paths are JSON Pointers (use <see cref="Escape"/> for keys).</summary>
public sealed class JsonPatch
{
    private readonly JsonArray ops = [];

    /// <summary>Number of operations.</summary>
    public int Count => ops.Count;

    /// <summary>Fails the whole patch (422) unless the value at path equals <paramref name="value"/>.</summary>
    public JsonPatch Test(string path, JsonNode? value) => Op("test", path, value, withValue: true);

    /// <summary>Adds (or, for an object member, sets) a value; path ending in <c>/-</c> appends to an array.</summary>
    public JsonPatch Add(string path, JsonNode? value) => Op("add", path, value, withValue: true);

    /// <summary>Replaces an existing value.</summary>
    public JsonPatch Replace(string path, JsonNode? value) => Op("replace", path, value, withValue: true);

    /// <summary>Removes a value.</summary>
    public JsonPatch Remove(string path) => Op("remove", path, null, withValue: false);

    /// <summary>The patch document.</summary>
    public string ToJson() => ops.ToJsonString();

    /// <summary>Escapes one JSON Pointer segment (<c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private JsonPatch Op(string op, string path, JsonNode? value, bool withValue)
    {
        var o = new JsonObject { ["op"] = op, ["path"] = path };
        if (withValue)
        {
            o["value"] = value?.DeepClone();
        }

        ops.Add(o);
        return this;
    }
}
