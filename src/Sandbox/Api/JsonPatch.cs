using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>JSON Patch (RFC 6902): add, remove, replace, move, copy, test. A failing operation throws 422.</summary>
public static class JsonPatch
{
    /// <summary>The document with every operation applied in order (document is not modified).</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var doc = document.DeepClone();
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = op["op"]?.GetValue<string>() ?? throw Fail("missing op");
            var path = op["path"]?.GetValue<string>() ?? throw Fail("missing path");
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "replace":
                    Remove(doc, path);
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw Fail("missing from");
                        var value = Get(doc, from);
                        Remove(doc, from);
                        doc = Add(doc, path, value);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw Fail("missing from");
                        doc = Add(doc, path, Get(doc, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                    {
                        throw Fail($"testing value {path} failed");
                    }

                    break;
                default:
                    throw Fail($"unknown operation {kind}");
            }
        }

        return doc;
    }

    private static ApiException Fail(string message) => new(422, "Invalid", $"the server rejected our request due to an error in our request: {message}");

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Fail($"path {pointer} does not exist"),
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            throw Fail("cannot address the document root here");
        }

        var parent = tokens.Length == 1
            ? doc
            : Get(doc, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1"))));

        return (parent ?? throw Fail($"path {pointer} does not exist"), tokens[^1]);
    }

    private static JsonNode Add(JsonNode doc, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            return value ?? throw Fail("cannot replace the document with null");
        }

        var (parent, last) = Parent(doc, pointer);
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
                throw Fail($"path {pointer} does not exist");
        }

        return doc;
    }

    private static void Remove(JsonNode doc, string pointer)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Fail($"path {pointer} does not exist");
        }
    }
}
