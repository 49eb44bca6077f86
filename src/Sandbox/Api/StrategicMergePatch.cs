using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Strategic merge patch for the built-in kinds: like a merge patch, but lists of named items merge by their
/// patchMergeKey (containers by name, ports by containerPort or port, volumeMounts by mountPath, …), finalizers
/// merge as a set, and the directives <c>$patch</c>, <c>$retainKeys</c>, <c>$setElementOrder/…</c> and
/// <c>$deleteFromPrimitiveList/…</c> are honoured.
/// </summary>
public static class StrategicMergePatch
{
    private const string SetOrderPrefix = "$setElementOrder/";
    private const string DeletePrimitivePrefix = "$deleteFromPrimitiveList/";

    /// <summary>The target with the patch applied (target is not modified).</summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch) => MergeObject((JsonObject)target.DeepClone(), patch, "");

    /// <summary>The merge key of a list field at a dotted path (without indices), or null when the list is replaced whole.</summary>
    public static string? MergeKey(string path, string field) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" or "imagePullSecrets"
            or "readinessGates" when !path.EndsWith("status", StringComparison.Ordinal) => field == "readinessGates" ? "conditionType" : "name",
        "ports" when path.Contains("ontainers", StringComparison.Ordinal) => "containerPort",
        "ports" when path.EndsWith("spec", StringComparison.Ordinal) => "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "containerStatuses" or "initContainerStatuses" => "name",
        _ => null,
    };

    private static bool IsPrimitiveSet(string path, string field) => field == "finalizers" && path == "metadata";

    private static JsonObject MergeObject(JsonObject target, JsonObject patch, string path)
    {
        var directive = (patch["$patch"] as JsonValue)?.GetValue<string>();
        if (directive == "replace")
        {
            var replaced = (JsonObject)patch.DeepClone();
            replaced.Remove("$patch");
            return StripDirectives(replaced);
        }

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith(SetOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeletePrimitivePrefix, StringComparison.Ordinal))
            {
                var field = key[DeletePrimitivePrefix.Length..];
                if (target[field] is JsonArray list && value is JsonArray gone)
                {
                    foreach (var item in list.Where(i => gone.Any(g => JsonNode.DeepEquals(g, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject po)
            {
                if ((po["$patch"] as JsonValue)?.GetValue<string>() == "delete")
                {
                    target.Remove(key);
                }
                else
                {
                    target[key] = MergeObject(target[key] as JsonObject ?? new JsonObject(), po, childPath);
                }
            }
            else if (value is JsonArray pa)
            {
                target[key] = MergeList(target[key] as JsonArray, pa, path, key, patch[SetOrderPrefix + key] as JsonArray);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        return target;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string path, string field, JsonArray? order)
    {
        if (IsPrimitiveSet(path, field))
        {
            var merged = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
            foreach (var item in patch.Where(i => !merged.Any(m => JsonNode.DeepEquals(m, i))))
            {
                merged.Add(item?.DeepClone());
            }

            return merged;
        }

        var mergeKey = MergeKey(path, field);
        if (mergeKey is null || target is null)
        {
            if (mergeKey is not null)
            {
                return new JsonArray(patch.Where(i => !IsDelete(i)).Select(i => i is JsonObject o ? StripDirectives((JsonObject)o.DeepClone()) : i?.DeepClone()).ToArray());
            }

            return (JsonArray)patch.DeepClone();
        }

        if (patch.Count == 1 && patch[0] is JsonObject only && (only["$patch"] as JsonValue)?.GetValue<string>() == "replace")
        {
            return new JsonArray();
        }

        var result = target.Select(i => i?.DeepClone()).ToList();
        var childPath = path.Length == 0 ? field : $"{path}.{field}";
        foreach (var item in patch.OfType<JsonObject>())
        {
            var keyValue = item[mergeKey];
            var at = result.FindIndex(e => e is JsonObject eo && JsonNode.DeepEquals(eo[mergeKey], keyValue));
            if (IsDelete(item))
            {
                if (at >= 0)
                {
                    result.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                result[at] = MergeObject((JsonObject)result[at]!, item, childPath);
            }
            else
            {
                result.Add(StripDirectives((JsonObject)item.DeepClone()));
            }
        }

        if (order is not null)
        {
            var rank = order.OfType<JsonObject>().Select(o => o[mergeKey]).ToList();
            result = result
                .Select((e, i) => (e, i, r: rank.FindIndex(k => JsonNode.DeepEquals(k, (e as JsonObject)?[mergeKey]))))
                .OrderBy(t => t.r < 0 ? int.MaxValue : t.r).ThenBy(t => t.i)
                .Select(t => t.e).ToList();
        }

        return new JsonArray(result.ToArray());
    }

    private static bool IsDelete(JsonNode? item) =>
        item is JsonObject o && (o["$patch"] as JsonValue)?.GetValue<string>() == "delete";

    private static JsonObject StripDirectives(JsonObject obj)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
        {
            obj.Remove(key);
        }

        foreach (var (_, value) in obj)
        {
            if (value is JsonObject child)
            {
                StripDirectives(child);
            }
            else if (value is JsonArray arr)
            {
                foreach (var c in arr.OfType<JsonObject>())
                {
                    StripDirectives(c);
                }
            }
        }

        return obj;
    }
}
