using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>A parsed field selector: <c>path=value, path==value, path!=value</c> over dotted field paths, ANDed.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Negate)> _terms = new();

    /// <summary>The value a term requires of metadata.name, if any (lets a watch or list narrow early).</summary>
    public string? RequiredName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && !t.Negate).Value;

    /// <summary>Parses the selector; empty or null matches everything.</summary>
    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        foreach (var raw in (text ?? "").Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            var (op, negate) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : term.Contains("==", StringComparison.Ordinal) ? ("==", false)
                : term.Contains('=', StringComparison.Ordinal) ? ("=", false)
                : throw ApiException.BadRequest($"invalid selector: '{term}'; can't understand '{term}'");
            var at = term.IndexOf(op, StringComparison.Ordinal);
            selector._terms.Add((term[..at].Trim(), term[(at + op.Length)..].Trim(), negate));
        }

        return selector;
    }

    /// <summary>Whether the object's fields satisfy every term (an absent field reads as "").</summary>
    public bool Matches(JsonObject obj) => _terms.All(t => (Read(obj, t.Path) == t.Value) != t.Negate);

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }
}
