using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// A rule's <c>fieldPath</c> (<c>.spec.size</c>, <c>.labels['a.b']</c>) checked against the schema it starts from,
/// as kube-apiserver's ValidFieldPath does: each step names a declared property, or a key of a map.
/// </summary>
internal static class CelFieldPath
{
    /// <summary>Null when the path is valid (<paramref name="normalized"/> is then the field path suffix), else why not.</summary>
    public static string? Resolve(string path, JsonObject schema, out string normalized)
    {
        normalized = "";
        var at = 0;
        var node = schema;
        while (at < path.Length)
        {
            string step;
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                step = path[(at + 1)..end];
                if (step.Length == 0)
                {
                    return "unexpected end of JSON path";
                }

                at = end;
            }
            else if (path[at] == '[')
            {
                if (Quoted(path, at + 1, out var end) is not { } quoted)
                {
                    return "expected single quoted string";
                }

                if (end >= path.Length || path[end] != ']')
                {
                    return "expected ]";
                }

                step = quoted;
                at = end + 1;
            }
            else
            {
                return $"expected [ or . but got: {path[at..]}";
            }

            if (node["properties"] is JsonObject properties)
            {
                if (properties[step] is not JsonObject child)
                {
                    return "does not refer to a valid field";
                }

                normalized = FieldPath.Child(normalized, step);
                node = child;
            }
            else if (CelSchema.IsMap(node, out var values))
            {
                normalized = FieldPath.Key(normalized, step);
                node = values ?? new JsonObject();
            }
            else
            {
                return "does not refer to a valid field";
            }
        }

        return null;
    }

    // A single-quoted string with backslash escapes starting at `start`; `end` is the index after its closing quote.
    private static string? Quoted(string path, int start, out int end)
    {
        end = start;
        if (start >= path.Length || path[start] != '\'')
        {
            return null;
        }

        var text = new StringBuilder();
        for (var i = start + 1; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\'')
            {
                end = i + 1;
                return text.ToString();
            }

            if (c == '\\' && i + 1 < path.Length)
            {
                c = path[++i] switch
                {
                    'a' => '\a',
                    'b' => '\b',
                    'f' => '\f',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\v',
                    var same => same,
                };
            }

            text.Append(c);
        }

        return null;
    }
}
