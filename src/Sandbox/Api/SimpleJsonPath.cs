using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Evaluates the JSONPath subset printer columns and scale paths use: <c>.a.b</c>, <c>.a[0].b</c>,
/// <c>.a[?(@.type=="Ready")].status</c>, optionally wrapped in <c>{…}</c>.
/// </summary>
public static class SimpleJsonPath
{
    /// <summary>The first node the path selects, or null.</summary>
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var current = root;
        foreach (var step in Steps(path))
        {
            if (current is null)
            {
                return null;
            }

            current = step switch
            {
                { Index: { } i } => current is JsonArray a && i < a.Count ? a[i] : null,
                { FilterField: { } f } => current is JsonArray a
                    ? a.FirstOrDefault(e => e is JsonObject o && Text(o[f]) == step.FilterValue)
                    : null,
                _ => current is JsonObject o ? o[step.Field!] : null,
            };
        }

        return current;
    }

    /// <summary>Writes value at a plain dotted path (<c>.spec.replicas</c>), creating objects on the way.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Trim('{', '}').TrimStart('.').Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }

            current = next;
        }

        current[parts[^1]] = value;
    }

    private static string? Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString();

    private sealed record Step(string? Field, int? Index, string? FilterField, string? FilterValue);

    private static IEnumerable<Step> Steps(string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }

        var i = 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                i++;
                continue;
            }

            if (p[i] == '[')
            {
                var end = p.IndexOf(']', i);
                if (end < 0)
                {
                    yield break;
                }

                var inner = p[(i + 1)..end];
                i = end + 1;
                if (int.TryParse(inner, out var index))
                {
                    yield return new Step(null, index, null, null);
                }
                else if (inner.StartsWith("?(@.", StringComparison.Ordinal) && inner.Contains("==", StringComparison.Ordinal))
                {
                    var cond = inner[4..].TrimEnd(')');
                    var eq = cond.IndexOf("==", StringComparison.Ordinal);
                    yield return new Step(null, null, cond[..eq].Trim(), cond[(eq + 2)..].Trim().Trim('"', '\''));
                }
                else if (inner == "*")
                {
                    yield return new Step(null, 0, null, null);
                }
                else
                {
                    yield return new Step(inner.Trim('"', '\''), null, null, null);
                }

                continue;
            }

            var stop = p.IndexOfAny(['.', '['], i);
            if (stop < 0)
            {
                stop = p.Length;
            }

            yield return new Step(p[i..stop], null, null, null);
            i = stop;
        }
    }
}
