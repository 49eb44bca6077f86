using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace PgReplica.Entities.Schema;

/// <summary>
/// Runs schema patterns with the meaning the API server (Go RE2) gives them: <c>$</c> is the end of the
/// text (in .NET it also matches before a final newline, which would let "1Gi\n" pass), and
/// <c>\d \w \s</c> are ASCII-only. Compiled patterns are cached.
/// </summary>
public static class Re2Pattern
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// True when value matches pattern anywhere (patterns anchor themselves with ^ and $). A match that runs
    /// past its time limit counts as no match: RE2 runs in linear time, so only a pathological pattern gets there.
    /// </summary>
    public static bool IsMatch(string pattern, string value)
    {
        var regex = Cache.GetOrAdd(pattern, p => new Regex(Translate(p), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The .NET spelling of an RE2 pattern.</summary>
    public static string Translate(string pattern)
    {
        var text = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                text.Append(next switch
                {
                    'd' => inClass ? "0-9" : "[0-9]",
                    'D' => inClass ? @"\x00-/:-\uFFFF" : "[^0-9]",
                    'w' => inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]",
                    'W' => "[^0-9A-Za-z_]",
                    's' => inClass ? @"\t\n\f\r " : @"[\t\n\f\r ]",
                    'S' => @"[^\t\n\f\r ]",
                    _ => "\\" + next,
                });
                continue;
            }

            if (inClass)
            {
                if (c == ']' && text[^1] != '[' && !(text[^1] == '^' && text[^2] == '['))
                {
                    inClass = false;
                }
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '$')
            {
                text.Append(@"\z");
                continue;
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
