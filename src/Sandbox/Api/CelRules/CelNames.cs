using System.Text.RegularExpressions;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// Property names as CEL rules spell them, by Kubernetes' escaping: <c>x-y</c> is <c>x__dash__y</c>, <c>a.b</c> is
/// <c>a__dot__b</c>, <c>a/b</c> is <c>a__slash__b</c>, <c>__</c> is <c>__underscores__</c>, a CEL keyword <c>k</c> is <c>__k__</c>.
/// </summary>
internal static partial class CelNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
        "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    /// <summary>The CEL name of a property, or null when no CEL name reaches it.</summary>
    public static string? Escape(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return null;
        }

        if (Reserved.Contains(name))
        {
            return $"__{name}__";
        }

        var escaped = Expandable().Replace(name, m => m.Value switch
        {
            "__" => "__underscores__",
            "." => "__dot__",
            "-" => "__dash__",
            _ => "__slash__",
        });
        return IsIdentifier(escaped) ? escaped : null;
    }

    /// <summary>Whether the text is a plain CEL identifier.</summary>
    public static bool IsIdentifier(string text) => Identifier().IsMatch(text);

    [GeneratedRegex(@"__|[./-]")]
    private static partial Regex Expandable();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex Identifier();
}
