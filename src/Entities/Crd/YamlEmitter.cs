using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PgReplica.Entities.Crd;

/// <summary>
/// Writes a JSON tree as block-style YAML the way kubectl prints it (sequences not indented under their key),
/// quoting every string a YAML 1.1 or 1.2 reader could take for something else. Deterministic: same tree, same text.
/// </summary>
public static partial class YamlEmitter
{
    /// <summary>The YAML text of node, ending in a newline.</summary>
    public static string Emit(JsonNode? node)
    {
        var text = new StringBuilder();
        switch (node)
        {
            case JsonObject { Count: > 0 } map:
                WriteMapping(text, map, 0, inlineFirst: false);
                break;
            case JsonArray { Count: > 0 } list:
                WriteSequence(text, list, 0, inlineFirst: false);
                break;
            default:
                text.Append(Scalar(node)).Append('\n');
                break;
        }

        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject map, int indent, bool inlineFirst)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!(first && inlineFirst))
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append(Quote(key)).Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    text.Append('\n');
                    WriteMapping(text, child, indent + 2, inlineFirst: false);
                    break;
                case JsonArray { Count: > 0 } list:
                    text.Append('\n');
                    WriteSequence(text, list, indent, inlineFirst: false);
                    break;
                default:
                    text.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteSequence(StringBuilder text, JsonArray list, int indent, bool inlineFirst)
    {
        var first = true;
        foreach (var item in list)
        {
            if (!(first && inlineFirst))
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } map:
                    WriteMapping(text, map, indent + 2, inlineFirst: true);
                    break;
                case JsonArray { Count: > 0 } inner:
                    WriteSequence(text, inner, indent + 2, inlineFirst: true);
                    break;
                default:
                    text.Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => Quote(node.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            _ => node.ToJsonString(),
        },
    };

    /// <summary>The string as a plain scalar when that reads back as the same string, else double-quoted.</summary>
    public static string Quote(string value) => IsSafePlain(value) ? value : DoubleQuoted(value);

    private static bool IsSafePlain(string value)
    {
        if (value.Length == 0 || value != value.Trim() || ReservedWord().IsMatch(value) || NumberLike().IsMatch(value))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal)
            || value.EndsWith(':'))
        {
            return false;
        }

        return value.All(c => c >= ' ' && c <= '~');
    }

    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    // YAML 1.1 (go-yaml v2, which kubectl's sigs.k8s.io/yaml uses) reads these as booleans or null.
    [GeneratedRegex(@"^(y|n|yes|no|true|false|on|off|null|~|<<|=)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();

    // Anything that might resolve to a number, infinity, NaN, a date or a sexagesimal value.
    [GeneratedRegex(@"^([-+]?[.]?[0-9]|[-+]?[.](inf|nan)$|[.](inf|nan)$)", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();
}
