using System.Text.Json;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>One Dockerfile instruction: its upper-cased keyword, the text after it (continuations joined) and its first line.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>Leading <c>--name=value</c> flags (as on FROM, COPY, ADD, RUN).</summary>
    public IReadOnlyDictionary<string, string> Flags => SplitFlags().Flags;

    /// <summary>The whitespace-separated words after the flags.</summary>
    public IReadOnlyList<string> Operands => SplitFlags().Operands;

    /// <summary>The JSON-array (exec) form's strings, or null for the shell form.</summary>
    public IReadOnlyList<string>? ExecForm
    {
        get
        {
            var text = Arguments.Trim();
            if (!text.StartsWith('['))
            {
                return null;
            }
            try
            {
                return JsonSerializer.Deserialize<string[]>(text);
            }
            catch (JsonException)
            {
                return null; // Docker too runs a malformed array as a shell command.
            }
        }
    }

    private (Dictionary<string, string> Flags, List<string> Operands) SplitFlags()
    {
        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var words = Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
        {
            var flag = words[0][2..];
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags[equals < 0 ? flag : flag[..equals]] = equals < 0 ? "" : flag[(equals + 1)..];
            words.RemoveAt(0);
        }
        return (flags, words);
    }
}
