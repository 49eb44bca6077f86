using System.Text.RegularExpressions;

namespace PgReplica.Operator.Tests.Manifests.Docs;

/// <summary>A fenced code block of a Markdown guide: its info string (<c>sh kind</c>, <c>console</c>…), its text and first line.</summary>
internal sealed record GuideBlock(string Info, string Text, int Line)
{
    /// <summary>The block's shell lines, continuation lines joined, comments and blank lines dropped.</summary>
    public IEnumerable<string> CommandLines => Text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
        .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'));
}

/// <summary>Reads the fenced blocks of a Markdown file.</summary>
internal static partial class GuideBlocks
{
    /// <summary>Every fenced block of <paramref name="markdown"/>, in order.</summary>
    public static IReadOnlyList<GuideBlock> Parse(string markdown) => Fence().Matches(markdown.Replace("\r\n", "\n", StringComparison.Ordinal))
        .Select(m => new GuideBlock(m.Groups["info"].Value.Trim(), m.Groups["body"].Value,
            markdown[..m.Index].Count(c => c == '\n') + 1))
        .ToList();

    /// <summary>The program each simple command of a shell line starts with (after pipes, <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>$(</c> and shell keywords).</summary>
    public static IEnumerable<string> Programs(string line) => Separator().Split(Quoted().Replace(line, "Q"))
        .Select(part => part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(words => words.Length > 0 && words[0] is not ("for" or "["))
        .Select(words => words.SkipWhile(w => ShellWords.Contains(w) || Assignment().IsMatch(w)).FirstOrDefault())
        .OfType<string>();

    private static readonly HashSet<string> ShellWords = ["do", "done", "if", "then", "fi", "!"];

    [GeneratedRegex(@"'[^']*'|""[^""]*""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^```(?<info>[^\n`]*)\n(?<body>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"\|\||&&|\||;|\$\(")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();
}
