using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>The autoscaling/v1 Scale view of a resource with a scale subresource, and writing one back.</summary>
internal static class ScaleObjects
{
    /// <summary>The Scale of the object.</summary>
    public static JsonObject From(ScaleSubresource scale, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        var status = new JsonObject { ["replicas"] = Int(SimpleJsonPath.Evaluate(obj, scale.StatusReplicasPath)) };
        if (scale.LabelSelectorPath is { } sel && SimpleJsonPath.Evaluate(obj, sel) is JsonValue v && v.TryGetValue<string>(out var selector))
        {
            status["selector"] = selector;
        }

        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[field] is { } value)
            {
                scaleMeta[field] = value.DeepClone();
            }
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = Int(SimpleJsonPath.Evaluate(obj, scale.SpecReplicasPath)) },
            ["status"] = status,
        };
    }

    /// <summary>The object with the Scale's spec.replicas written to the spec path (and the Scale's resourceVersion, if any).</summary>
    public static JsonObject Apply(ScaleSubresource scale, JsonObject obj, JsonObject scaleObj)
    {
        var result = (JsonObject)obj.DeepClone();
        SimpleJsonPath.Set(result, scale.SpecReplicasPath, JsonValue.Create(Int(scaleObj["spec"]?["replicas"])));
        if (scaleObj["metadata"]?["resourceVersion"] is JsonValue rv)
        {
            ((JsonObject)result["metadata"]!)["resourceVersion"] = rv.DeepClone();
        }

        return result;
    }

    private static long Int(JsonNode? n) => PgReplica.Sandbox.Store.JsonNumber.Long(n) ?? 0;
}
