using System.Text;
using System.Text.RegularExpressions;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>.dockerignore as Docker reads it: patterns in order, later ones win, <c>!</c> re-includes, a match on a folder covers what is under it.</summary>
internal sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Include)> _rules;

    private DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules) => _rules = rules;

    /// <summary>True when some pattern re-includes files (then excluded folders must still be walked).</summary>
    public bool HasExceptions => _rules.Any(rule => rule.Include);

    /// <summary>Parses .dockerignore text.</summary>
    public static DockerIgnore Parse(string text) => new(text
        .Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.StartsWith('!') ? (Compile(line[1..]), true) : (Compile(line), false))
        .ToList());

    /// <summary>Whether the context path (slash-separated, relative to the context root) stays out of the build.</summary>
    public bool Excludes(string relativePath)
    {
        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            if (MatchesOrParentMatches(pattern, relativePath))
            {
                excluded = !include;
            }
        }
        return excluded;
    }

    private static bool MatchesOrParentMatches(Regex pattern, string path)
    {
        for (var candidate = path; candidate.Length > 0;)
        {
            if (pattern.IsMatch(candidate))
            {
                return true;
            }
            var slash = candidate.LastIndexOf('/');
            candidate = slash < 0 ? "" : candidate[..slash];
        }
        return false;
    }

    /// <summary>Docker's pattern language: <c>**</c> any folders, <c>*</c> and <c>?</c> within one name; cleaned like a path.</summary>
    private static Regex Compile(string pattern)
    {
        var cleaned = pattern.Trim().TrimEnd('/').TrimStart('/');
        if (cleaned.StartsWith("./", StringComparison.Ordinal))
        {
            cleaned = cleaned[2..];
        }
        var regex = new StringBuilder("^");
        for (var i = 0; i < cleaned.Length; i++)
        {
            var c = cleaned[i];
            if (c == '*' && i + 1 < cleaned.Length && cleaned[i + 1] == '*')
            {
                i++;
                if (i + 1 < cleaned.Length && cleaned[i + 1] == '/')
                {
                    i++;
                    regex.Append("(.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
