using System.Text.Json.Nodes;

namespace PgReplica.Kube.Tests.Fakes;

/// <summary>RFC 7386 merge patch and RFC 6902 JSON Patch over JsonNode, as the fake API server applies them.</summary>
internal static class PatchApplier
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in patchObj)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }

        return result;
    }

    /// <summary>Applies the ops to a copy; throws <see cref="InvalidOperationException"/> on a failed test or bad path (the server answers 422).</summary>
    public static JsonNode ApplyJsonPatch(JsonNode doc, JsonArray ops)
    {
        var root = doc.DeepClone();
        foreach (var op in ops.Select(o => o!.AsObject()))
        {
            var path = (string)op["path"]!;
            switch ((string)op["op"]!)
            {
                case "test":
                    var actual = Resolve(root, path);
                    if (!JsonNode.DeepEquals(actual, op["value"]))
                    {
                        throw new InvalidOperationException($"test failed at {path}");
                    }

                    break;
                case "add":
                    root = Add(root, path, op["value"]?.DeepClone());
                    break;
                case "replace":
                    _ = Resolve(root, path) ?? throw new InvalidOperationException($"replace: {path} missing");
                    root = Remove(root, path);
                    root = Add(root, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    root = Remove(root, path);
                    break;
                default:
                    throw new InvalidOperationException($"unsupported op {op["op"]}");
            }
        }

        return root;
    }

    private static string[] Split(string path) =>
        path.Length == 0 ? [] : path[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();

    private static JsonNode? Resolve(JsonNode? node, string path)
    {
        foreach (var seg in Split(path))
        {
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(seg, out var v) ? v : null,
                JsonArray a when int.TryParse(seg, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string path)
    {
        var segs = Split(path);
        if (segs.Length == 0)
        {
            throw new InvalidOperationException("empty path");
        }

        var parent = Resolve(root, "/" + string.Join('/', segs[..^1].Select(s => s.Replace("~", "~0").Replace("/", "~1"))));
        if (segs.Length == 1)
        {
            parent = root;
        }

        return (parent ?? throw new InvalidOperationException($"parent of {path} missing"), segs[^1]);
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new InvalidOperationException($"add: bad path {path}");
        }

        return root;
    }

    private static JsonNode Remove(JsonNode root, string path)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new InvalidOperationException($"remove: {path} missing");
        }

        return root;
    }
}
