using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Reads the few protobuf bodies kubectl's typed clients send (<c>kubectl create secret|configmap|namespace|serviceaccount</c>):
/// the "k8s\0" envelope, ObjectMeta's common fields, and those kinds' data fields.
/// </summary>
internal static class ProtobufBodies
{
    /// <summary>The content type that marks such a body.</summary>
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>The body as a JSON object, or a 415 for kinds this reader does not know.</summary>
    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new ApiException(415, "UnsupportedMediaType", "a protobuf body must start with the k8s envelope");
        }

        string? apiVersion = null;
        string? kind = null;
        byte[] raw = [];
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            if (field == 1)
            {
                foreach (var (f, v) in Fields(value))
                {
                    if (f == 1)
                    {
                        apiVersion = Text(v);
                    }
                    else if (f == 2)
                    {
                        kind = Text(v);
                    }
                }
            }
            else if (field == 2)
            {
                raw = value.ToArray();
            }
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (field, value) in Fields(raw))
        {
            switch (kind, field)
            {
                case (_, 1):
                    obj["metadata"] = Meta(value);
                    break;
                case ("Secret", 2):
                    Entry(obj, "data", value, base64: true);
                    break;
                case ("Secret", 3) when value.Length > 0:
                    obj["type"] = Text(value);
                    break;
                case ("Secret", 4):
                    Entry(obj, "stringData", value, base64: false);
                    break;
                case ("ConfigMap", 2):
                    Entry(obj, "data", value, base64: false);
                    break;
                case ("ConfigMap", 3):
                    Entry(obj, "binaryData", value, base64: true);
                    break;
                case ("Secret" or "ConfigMap" or "Namespace" or "ServiceAccount", _):
                    break;
                default:
                    throw new ApiException(415, "UnsupportedMediaType", $"the sandbox reads protobuf bodies only for Secret, ConfigMap, Namespace and ServiceAccount, not {kind}; send JSON");
            }
        }

        return obj;
    }

    private static JsonObject Meta(ReadOnlyMemory<byte> bytes)
    {
        var meta = new JsonObject();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1:
                    meta["name"] = value.Length > 0 ? Text(value) : null;
                    break;
                case 2:
                    meta["generateName"] = value.Length > 0 ? Text(value) : null;
                    break;
                case 3:
                    meta["namespace"] = value.Length > 0 ? Text(value) : null;
                    break;
                case 11:
                    Entry(meta, "labels", value, base64: false);
                    break;
                case 12:
                    Entry(meta, "annotations", value, base64: false);
                    break;
                case 14:
                    (meta["finalizers"] ??= new JsonArray()).AsArray().Add(Text(value));
                    break;
            }
        }

        foreach (var empty in meta.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            meta.Remove(empty);
        }

        return meta;
    }

    // A map<string, string|bytes> entry: a message with key 1 and value 2.
    private static void Entry(JsonObject parent, string name, ReadOnlyMemory<byte> bytes, bool base64)
    {
        string key = "";
        ReadOnlyMemory<byte> value = default;
        foreach (var (f, v) in Fields(bytes))
        {
            if (f == 1)
            {
                key = Text(v);
            }
            else if (f == 2)
            {
                value = v;
            }
        }

        var map = parent[name] as JsonObject ?? new JsonObject();
        parent[name] = map;
        map[key] = base64 ? Convert.ToBase64String(value.Span) : Text(value);
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    // Length-delimited fields of a message (varints are read and skipped as empty values).
    private static List<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var result = new List<(int, ReadOnlyMemory<byte>)>();
        var span = message.Span;
        var i = 0;
        while (i < span.Length)
        {
            var tag = Varint(span, ref i);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    Varint(span, ref i);
                    result.Add((field, ReadOnlyMemory<byte>.Empty));
                    break;
                case 1:
                    i += 8;
                    break;
                case 2:
                    var length = (int)Varint(span, ref i);
                    result.Add((field, message.Slice(i, length)));
                    i += length;
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    throw ApiException.BadRequest("malformed protobuf body");
            }
        }

        return result;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int i)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = span[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            shift += 7;
        }
    }
}
