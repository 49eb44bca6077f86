using System.Text;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>One problem found in a CEL expression, at a 1-based line and 0-based column of its source.</summary>
internal sealed record CelIssue(int Line, int Column, string Message)
{
    /// <summary>
    /// The issues as cel-go prints them (the text kube-apiserver puts after "compilation failed: "):
    /// <c>ERROR: &lt;input&gt;:1:5: message</c>, the source line, and a caret under the column.
    /// </summary>
    public static string Render(string source, IEnumerable<CelIssue> issues)
    {
        var lines = source.Split('\n');
        var text = new StringBuilder();
        foreach (var issue in issues)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append($"ERROR: <input>:{issue.Line}:{issue.Column + 1}: {issue.Message}");
            if (issue.Line >= 1 && issue.Line <= lines.Length)
            {
                var line = lines[issue.Line - 1].TrimEnd('\r');
                text.Append("\n | ").Append(line).Append("\n | ").Append('.', Math.Min(issue.Column, line.Length)).Append('^');
            }
        }

        return text.ToString();
    }
}
