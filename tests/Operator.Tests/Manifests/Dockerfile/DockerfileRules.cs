using System.Text.RegularExpressions;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>The rules the operator's Dockerfile must pass (hadolint has no Debian package, so they are written here).</summary>
internal static partial class DockerfileRules
{
    /// <summary>Every rule.</summary>
    public static IReadOnlyList<DockerfileRule> All { get; } =
    [
        new("pinned-base-image", "every FROM names an image by digest or by a full x.y.z version tag, never latest",
            PinnedBaseImages),
        new("multi-stage", "at least two stages, and the shipped stage is not the SDK image", MultiStage),
        new("numeric-non-root-user", "the shipped stage ends on USER uid[:gid], numeric and not 0", NumericNonRootUser),
        new("no-add", "COPY instead of ADD (ADD fetches URLs and unpacks archives)", NoAdd),
        new("exec-form", "ENTRYPOINT and CMD in JSON-array form, so signals reach the process", ExecForm),
        new("one-entrypoint", "at most one ENTRYPOINT and one CMD per stage", OneEntrypoint),
        new("no-secrets", "no ENV or ARG whose name says it holds a secret", NoSecrets),
        new("absolute-workdir", "WORKDIR paths are absolute", AbsoluteWorkdir),
        new("copy-from-stage", "COPY --from names an earlier stage", CopyFromEarlierStage),
        new("no-maintainer", "no deprecated MAINTAINER", dockerfile => dockerfile.Instructions
            .Where(i => i.Keyword == "MAINTAINER").Select(i => $"line {i.Line}: MAINTAINER")),
    ];

    /// <summary>Every violation of every rule.</summary>
    public static IReadOnlyList<string> Check(DockerfileDocument dockerfile) =>
        All.SelectMany(rule => rule.Check(dockerfile)).ToList();

    private static IEnumerable<string> PinnedBaseImages(DockerfileDocument dockerfile)
    {
        foreach (var stage in dockerfile.Stages)
        {
            var image = stage.Image;
            if (dockerfile.Stages.Take(stage.Index).Any(earlier => earlier.Name == image) || image == "scratch")
            {
                continue;
            }
            if (image.Contains('$', StringComparison.Ordinal))
            {
                yield return $"line {stage.From.Line}: {image} is chosen by a variable, so its pin cannot be checked";
                continue;
            }
            if (image.Contains("@sha256:", StringComparison.Ordinal))
            {
                continue;
            }
            var lastSlash = image.LastIndexOf('/');
            var colon = image.IndexOf(':', lastSlash + 1);
            var tag = colon < 0 ? null : image[(colon + 1)..];
            if (tag is null || tag == "latest" || !FullVersion().IsMatch(tag))
            {
                yield return $"line {stage.From.Line}: {image} is not pinned to a digest or an x.y.z tag";
            }
        }
    }

    private static IEnumerable<string> MultiStage(DockerfileDocument dockerfile)
    {
        if (dockerfile.Stages.Count < 2)
        {
            yield return "a single stage ships its build tools";
        }
        if (dockerfile.Stages.Count > 0 && dockerfile.Final.Image.Contains("/sdk:", StringComparison.Ordinal))
        {
            yield return $"the shipped stage is built on the SDK image {dockerfile.Final.Image}";
        }
    }

    private static IEnumerable<string> NumericNonRootUser(DockerfileDocument dockerfile)
    {
        var user = dockerfile.Final.Last("USER");
        if (user is null)
        {
            yield return "the shipped stage has no USER, so it runs as root";
            yield break;
        }
        var match = NumericUser().Match(user.Arguments.Trim());
        if (!match.Success)
        {
            yield return $"line {user.Line}: USER {user.Arguments} is not numeric, so runAsNonRoot cannot verify it";
        }
        else if (match.Groups["uid"].Value.TrimStart('0').Length == 0
            || (match.Groups["gid"].Success && match.Groups["gid"].Value.TrimStart('0').Length == 0))
        {
            yield return $"line {user.Line}: USER {user.Arguments} is root";
        }
    }

    private static IEnumerable<string> NoAdd(DockerfileDocument dockerfile) => dockerfile.Instructions
        .Where(i => i.Keyword == "ADD")
        .Select(i => i.Operands.Any(o => o.Contains("://", StringComparison.Ordinal) || o.StartsWith("git@", StringComparison.Ordinal))
            ? $"line {i.Line}: ADD of a URL ({i.Arguments})"
            : $"line {i.Line}: ADD where COPY would do ({i.Arguments})");

    private static IEnumerable<string> ExecForm(DockerfileDocument dockerfile)
    {
        var final = dockerfile.Final;
        if (final.Last("ENTRYPOINT") is not { } entrypoint)
        {
            yield return "the shipped stage has no ENTRYPOINT";
        }
        else if (entrypoint.ExecForm is not { Count: > 0 })
        {
            yield return $"line {entrypoint.Line}: ENTRYPOINT in shell form";
        }
        if (final.Last("CMD") is { } cmd && cmd.ExecForm is null)
        {
            yield return $"line {cmd.Line}: CMD in shell form";
        }
    }

    private static IEnumerable<string> OneEntrypoint(DockerfileDocument dockerfile) => dockerfile.Stages
        .SelectMany(stage => new[] { "ENTRYPOINT", "CMD" }
            .Where(keyword => stage.All(keyword).Count() > 1)
            .Select(keyword => $"stage {stage.Index} has more than one {keyword}"));

    private static IEnumerable<string> NoSecrets(DockerfileDocument dockerfile) => dockerfile.Instructions
        .Where(i => i.Keyword is "ENV" or "ARG")
        .SelectMany(i => VariableNames(i).Where(name => SecretName().IsMatch(name))
            .Select(name => $"line {i.Line}: {i.Keyword} {name} puts a secret into the image or its history"));

    private static IEnumerable<string> AbsoluteWorkdir(DockerfileDocument dockerfile) => dockerfile.Instructions
        .Where(i => i.Keyword == "WORKDIR" && !i.Arguments.StartsWith('/') && !i.Arguments.StartsWith('$'))
        .Select(i => $"line {i.Line}: WORKDIR {i.Arguments} is relative");

    private static IEnumerable<string> CopyFromEarlierStage(DockerfileDocument dockerfile) => dockerfile.Stages
        .SelectMany(stage => stage.All("COPY")
            .Where(copy => copy.Flags.TryGetValue("from", out var from)
                && !dockerfile.Stages.Take(stage.Index).Any(s => s.Name == from || s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) == from))
            .Select(copy => $"line {copy.Line}: COPY --from={copy.Flags["from"]} is not an earlier stage"));

    /// <summary>Names an ENV or ARG instruction defines: <c>A=1 B=2</c>, <c>A 1</c> or a bare <c>ARG A</c>.</summary>
    private static IEnumerable<string> VariableNames(DockerInstruction instruction)
    {
        var words = instruction.Operands;
        if (words.Count == 0)
        {
            return [];
        }
        return words[0].Contains('=', StringComparison.Ordinal)
            ? words.Where(w => w.Contains('=', StringComparison.Ordinal)).Select(w => w[..w.IndexOf('=', StringComparison.Ordinal)])
            : [words[0]];
    }

    [GeneratedRegex(@"(^|[^0-9])[0-9]+\.[0-9]+\.[0-9]+")]
    private static partial Regex FullVersion();

    [GeneratedRegex(@"^(?<uid>[0-9]+)(:(?<gid>[0-9]+))?$")]
    private static partial Regex NumericUser();

    [GeneratedRegex("PASSW|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
