using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>A parsed label selector: <c>a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a</c>, all ANDed.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _terms = new();

    private LabelSelector()
    {
    }

    /// <summary>Parses the selector; empty or null matches everything. Throws <see cref="ApiException"/> (400) on bad syntax.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var raw in SplitTerms(text ?? ""))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            selector._terms.Add(ParseTerm(term));
        }

        return selector;
    }

    /// <summary>Whether the object's metadata.labels satisfy every term.</summary>
    public bool Matches(JsonObject obj)
    {
        var labels = new Dictionary<string, string>();
        if (obj["metadata"]?["labels"] is JsonObject l)
        {
            foreach (var (k, v) in l)
            {
                labels[k] = v?.ToString() ?? "";
            }
        }

        return _terms.All(t => t(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term)
    {
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var set = term[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw ApiException.BadRequest($"unable to parse requirement: found '{set}', expected: '('");
                }

                var values = set[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet();
                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                    : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }
        }

        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var value = term[(at + op.Length)..].Trim();
                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }

        if (term.IndexOfAny([' ', '(', ')', '<', '>']) >= 0)
        {
            throw ApiException.BadRequest($"unable to parse requirement: {term}");
        }

        return labels => labels.ContainsKey(term);
    }

    // Commas inside "( … )" belong to a set, not between terms.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
