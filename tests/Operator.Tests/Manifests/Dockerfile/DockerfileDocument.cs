using System.Text;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>A parsed Dockerfile: global ARGs before the first FROM, then its stages.</summary>
internal sealed class DockerfileDocument
{
    private DockerfileDocument(IReadOnlyList<DockerInstruction> instructions)
    {
        Instructions = instructions;
        GlobalInstructions = instructions.TakeWhile(instruction => instruction.Keyword != "FROM").ToList();
        var stages = new List<DockerStage>();
        var rest = instructions.Skip(GlobalInstructions.Count).ToList();
        for (var i = 0; i < rest.Count;)
        {
            var from = rest[i];
            var body = rest.Skip(i + 1).TakeWhile(instruction => instruction.Keyword != "FROM").ToList();
            var operands = from.Operands;
            var name = operands.Count >= 3 && operands[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? operands[2] : null;
            from.Flags.TryGetValue("platform", out var platform);
            stages.Add(new DockerStage(stages.Count, operands.Count > 0 ? operands[0] : "", name, platform, from, body));
            i += body.Count + 1;
        }
        Stages = stages;
    }

    /// <summary>Every instruction in file order.</summary>
    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>Instructions before the first FROM (only ARG is allowed there).</summary>
    public IReadOnlyList<DockerInstruction> GlobalInstructions { get; }

    /// <summary>The stages in order; the last one is the image that ships.</summary>
    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is made of.</summary>
    public DockerStage Final => Stages[^1];

    /// <summary>The stage named <paramref name="name"/> (or with that index), or null.</summary>
    public DockerStage? Stage(string name) =>
        Stages.FirstOrDefault(stage => string.Equals(stage.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? (int.TryParse(name, out var index) && index >= 0 && index < Stages.Count ? Stages[index] : null);

    /// <summary>Parses Dockerfile text: comments dropped, backslash continuations joined, keywords upper-cased.</summary>
    public static DockerfileDocument Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var pending = new StringBuilder();
        var startLine = 0;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            if (line.TrimStart().StartsWith('#'))
            {
                continue; // comments may sit inside a continued instruction, too
            }
            if (pending.Length == 0)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                startLine = number;
            }
            var trimmed = line.TrimEnd();
            if (trimmed.EndsWith('\\'))
            {
                pending.Append(trimmed[..^1]).Append(' ');
                continue;
            }
            pending.Append(line);
            instructions.Add(ToInstruction(pending.ToString(), startLine));
            pending.Clear();
        }
        if (pending.Length > 0)
        {
            instructions.Add(ToInstruction(pending.ToString(), startLine));
        }
        return new DockerfileDocument(instructions);
    }

    private static DockerInstruction ToInstruction(string text, int line)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\t']);
        return space < 0
            ? new DockerInstruction(trimmed.ToUpperInvariant(), "", line)
            : new DockerInstruction(trimmed[..space].ToUpperInvariant(), trimmed[(space + 1)..].Trim(), line);
    }
}
