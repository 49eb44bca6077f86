using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>
/// The three modes a namespace sets with its pod-security.kubernetes.io labels: enforce refuses a pod, warn answers
/// with Warning headers, audit records the violation. Unlabelled modes are privileged:latest.
/// </summary>
internal sealed record NamespacePolicy(LevelVersion Enforce, LevelVersion Audit, LevelVersion Warn)
{
    /// <summary>The label prefix; audit annotations carry it too.</summary>
    public const string Prefix = "pod-security.kubernetes.io/";

    /// <summary>Every mode privileged:latest.</summary>
    public static readonly NamespacePolicy Unlabelled = new(LevelVersion.Privileged, LevelVersion.Privileged, LevelVersion.Privileged);

    private static readonly string[] Levels = ["privileged", "baseline", "restricted"];

    /// <summary>Whether no mode checks anything.</summary>
    public bool FullyPrivileged =>
        Enforce.Level == PodSecurityLevel.Privileged && Audit.Level == PodSecurityLevel.Privileged && Warn.Level == PodSecurityLevel.Privileged;

    /// <summary>
    /// The policy the labels ask for, and what is wrong with them. A bad value still gives a policy, as upstream: an
    /// unknown enforce level is restricted (fail closed), an unknown audit or warn level privileged, an unknown version
    /// latest. Warn follows enforce when only enforce is labelled and is the stricter.
    /// </summary>
    public static (NamespacePolicy Policy, IReadOnlyList<FieldError> Errors) FromLabels(JsonObject? labels)
    {
        var errors = new List<FieldError>();
        string? Label(string mode) => labels?[Prefix + mode] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        PodSecurityLevel? Level(string mode, PodSecurityLevel onError)
        {
            if (Label(mode) is not { } text)
            {
                return null;
            }

            var index = Array.IndexOf(Levels, text);
            if (index >= 0)
            {
                return (PodSecurityLevel)index;
            }

            errors.Add(Invalid(mode, text, $"must be one of {string.Join(", ", Levels)}"));
            return onError;
        }

        PolicyVersion? Version(string mode)
        {
            if (Label(mode + "-version") is not { } text)
            {
                return null;
            }

            if (PolicyVersion.Parse(text) is { } version)
            {
                return version;
            }

            errors.Add(Invalid(mode + "-version", text, "must be \"latest\" or \"v1.x\""));
            return PolicyVersion.Latest;
        }

        var before = errors.Count;
        var enforceLevel = Level("enforce", PodSecurityLevel.Restricted);
        // An enforce label that did not parse does not pull warn along.
        var enforceParsed = enforceLevel is not null && errors.Count == before;
        var enforce = new LevelVersion(enforceLevel ?? PodSecurityLevel.Privileged, Version("enforce") ?? PolicyVersion.Latest);
        var audit = new LevelVersion(Level("audit", PodSecurityLevel.Privileged) ?? PodSecurityLevel.Privileged, Version("audit") ?? PolicyVersion.Latest);
        var warnLevel = Level("warn", PodSecurityLevel.Privileged);
        var warnVersion = Version("warn");
        var warn = new LevelVersion(warnLevel ?? PodSecurityLevel.Privileged, warnVersion ?? PolicyVersion.Latest);
        if (warnLevel is null && enforceParsed && enforce.Level > warn.Level)
        {
            warn = new LevelVersion(enforce.Level, warnVersion ?? enforce.Version);
        }

        return (new NamespacePolicy(enforce, audit, warn), errors);
    }

    private static FieldError Invalid(string label, string value, string detail) =>
        FieldError.Invalid($"metadata.labels[{Prefix}{label}]", FieldError.Quote(value), detail);
}
