using System.Text.RegularExpressions;

namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>
/// Plays a Dockerfile's stages out on this machine, without a Docker engine: each stage gets a folder
/// standing for its filesystem; WORKDIR, ARG, ENV and COPY (from the .dockerignore-filtered context or
/// an earlier stage) are applied to it, and RUN lines (only <c>dotnet …</c>) run with image paths mapped
/// into that folder. Base images contribute nothing, so what a stage needs from them must be on this machine.
/// </summary>
internal sealed partial class DockerBuildRehearsal
{
    private readonly string _context;
    private readonly DockerIgnore _ignore;
    private readonly string _workRoot;
    private readonly IReadOnlyDictionary<string, string> _buildArgs;

    /// <summary>A rehearsal of the build of <paramref name="context"/> into stage folders under <paramref name="workRoot"/>.</summary>
    public DockerBuildRehearsal(string context, string workRoot, IReadOnlyDictionary<string, string> buildArgs)
    {
        _context = context;
        _workRoot = workRoot;
        _buildArgs = buildArgs;
        var ignoreFile = Path.Combine(context, ".dockerignore");
        _ignore = DockerIgnore.Parse(File.Exists(ignoreFile) ? File.ReadAllText(ignoreFile) : "");
    }

    /// <summary>Every RUN command as it ran (after variable expansion), for assertion messages.</summary>
    public List<string> Commands { get; } = [];

    /// <summary>The folder standing for stage <paramref name="stage"/>'s root filesystem.</summary>
    public string StageRoot(DockerStage stage) => Path.Combine(_workRoot, $"stage-{stage.Index}");

    /// <summary>Where an absolute image path of a stage lies on this machine.</summary>
    public string MapPath(DockerStage stage, string imagePath) =>
        Path.Combine(StageRoot(stage), imagePath.TrimStart('/'));

    /// <summary>Runs every stage in order; throws on the first step that fails.</summary>
    public async Task RunAsync(DockerfileDocument dockerfile)
    {
        var context = ContextFiles();
        foreach (var stage in dockerfile.Stages)
        {
            Directory.CreateDirectory(StageRoot(stage));
            var workdir = "/";
            var variables = new Dictionary<string, string>();
            foreach (var instruction in stage.Instructions)
            {
                switch (instruction.Keyword)
                {
                    case "WORKDIR":
                        workdir = ImagePath(workdir, Expand(instruction.Arguments, variables));
                        Directory.CreateDirectory(MapPath(stage, workdir));
                        break;
                    case "ARG":
                        var (argName, argDefault) = SplitAssignment(instruction.Arguments);
                        variables[argName] = _buildArgs.TryGetValue(argName, out var given) ? given : argDefault ?? "";
                        break;
                    case "ENV":
                        foreach (var word in instruction.Operands)
                        {
                            var (name, value) = SplitAssignment(word);
                            variables[name] = value ?? "";
                        }
                        break;
                    case "COPY":
                        Copy(dockerfile, stage, instruction, workdir, variables, context);
                        break;
                    case "RUN":
                        await RunAsync(stage, instruction, workdir, variables);
                        break;
                    case "ADD":
                        throw new NotSupportedException($"line {instruction.Line}: ADD is not rehearsed");
                    default:
                        break; // USER, EXPOSE, ENTRYPOINT, CMD, LABEL change metadata, not files
                }
            }
        }
    }

    private void Copy(DockerfileDocument dockerfile, DockerStage stage, DockerInstruction copy, string workdir,
        Dictionary<string, string> variables, IReadOnlyList<string> context)
    {
        var words = copy.Operands.Select(word => Expand(word, variables)).ToList();
        var destination = ImagePath(workdir, words[^1]);
        var intoFolder = words[^1].EndsWith('/') || words.Count > 2;
        var fromStage = copy.Flags.TryGetValue("from", out var from)
            ? dockerfile.Stage(from) ?? throw new InvalidOperationException($"line {copy.Line}: no stage {from}")
            : null;
        foreach (var source in words.SkipLast(1))
        {
            if (source.IndexOfAny(['*', '?', '[']) >= 0)
            {
                throw new NotSupportedException($"line {copy.Line}: wildcards are not rehearsed");
            }
            var relative = source.Trim('/').Replace("./", "", StringComparison.Ordinal);
            var files = fromStage is null
                ? context.Where(file => relative.Length == 0 || file == relative || file.StartsWith(relative + "/", StringComparison.Ordinal)).ToList()
                : StageFiles(fromStage, source);
            if (files.Count == 0)
            {
                throw new InvalidOperationException($"line {copy.Line}: COPY source {source} matches nothing");
            }
            foreach (var file in files)
            {
                var isSourceItself = file == relative;
                var target = isSourceItself
                    ? (intoFolder ? Path.Combine(MapPath(stage, destination), Path.GetFileName(file)) : MapPath(stage, destination))
                    : Path.Combine(MapPath(stage, destination), relative.Length == 0 ? file : file[(relative.Length + 1)..]);
                var origin = fromStage is null ? Path.Combine(_context, file) : MapPath(fromStage, "/" + file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(origin, target, overwrite: true);
            }
        }
    }

    private List<string> StageFiles(DockerStage stage, string imagePath)
    {
        var root = StageRoot(stage);
        var full = MapPath(stage, imagePath);
        if (File.Exists(full))
        {
            return [Path.GetRelativePath(root, full).Replace('\\', '/')];
        }
        return Directory.Exists(full)
            ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/')).ToList()
            : [];
    }

    private async Task RunAsync(DockerStage stage, DockerInstruction run, string workdir, Dictionary<string, string> variables)
    {
        if (run.ExecForm is not null || ShellSyntax().IsMatch(run.Arguments))
        {
            throw new NotSupportedException($"line {run.Line}: only plain `dotnet …` RUN lines are rehearsed: {run.Arguments}");
        }
        var words = Expand(run.Arguments, variables).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words[0] != "dotnet")
        {
            throw new NotSupportedException($"line {run.Line}: only dotnet runs here, not {words[0]}");
        }
        var arguments = words.Skip(1).Select(word => word.StartsWith('/') ? MapPath(stage, word) : word).ToList();
        Commands.Add(string.Join(' ', words));
        var result = await ExternalCommand.RunAsync("dotnet", arguments, MapPath(stage, workdir), TimeSpan.FromMinutes(8),
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"line {run.Line}: {string.Join(' ', words)} failed\n{result.Output}");
        }
    }

    /// <summary>Context files that survive .dockerignore, slash-separated and relative to the context.</summary>
    private List<string> ContextFiles()
    {
        var files = new List<string>();
        var pending = new Stack<string>([_context]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
            {
                var relative = Path.GetRelativePath(_context, entry).Replace('\\', '/');
                var excluded = _ignore.Excludes(relative);
                if (Directory.Exists(entry))
                {
                    if (!excluded || _ignore.HasExceptions)
                    {
                        pending.Push(entry);
                    }
                }
                else if (!excluded)
                {
                    files.Add(relative);
                }
            }
        }
        return files;
    }

    private static string ImagePath(string workdir, string path) =>
        path.StartsWith('/') ? path : Path.Combine(workdir, path).Replace('\\', '/');

    private static (string Name, string? Value) SplitAssignment(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (text.Trim(), null) : (text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    private static string Expand(string text, Dictionary<string, string> variables) =>
        Variable().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            return variables.TryGetValue(name, out var value) ? value : "";
        });

    [GeneratedRegex(@"\$\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"&&|\|\||[;|<>`'""]|\$\(")]
    private static partial Regex ShellSyntax();
}
