using System.Globalization;
using System.Text.RegularExpressions;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>A Pod Security Standard, from the least to the most strict (the order is the comparison).</summary>
internal enum PodSecurityLevel
{
    /// <summary>Anything goes.</summary>
    Privileged,

    /// <summary>Known privilege escalations are refused.</summary>
    Baseline,

    /// <summary>Current pod hardening practice.</summary>
    Restricted,
}

/// <summary>The version of a standard: "latest" or "v1.x" (as the namespace labels name it).</summary>
internal readonly partial record struct PolicyVersion(int Minor)
{
    /// <summary>The newest version, newer than any numbered one.</summary>
    public static readonly PolicyVersion Latest = new(int.MaxValue);

    /// <summary>Whether this is "latest".</summary>
    public bool IsLatest => Minor == int.MaxValue;

    /// <summary>"latest" or "v1.x".</summary>
    public override string ToString() => IsLatest ? "latest" : string.Create(CultureInfo.InvariantCulture, $"v1.{Minor}");

    /// <summary>Parses a version label; null when it is neither "latest" nor "v1.x".</summary>
    public static PolicyVersion? Parse(string text)
    {
        if (text == "latest")
        {
            return Latest;
        }

        var match = Numbered().Match(text);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor) && minor != int.MaxValue
            ? new PolicyVersion(minor)
            : null;
    }

    [GeneratedRegex(@"^v1\.([0-9]|[1-9][0-9]*)$")]
    private static partial Regex Numbered();
}

/// <summary>A standard at a version, printed as in the messages: "restricted:latest", "baseline:v1.25".</summary>
internal readonly record struct LevelVersion(PodSecurityLevel Level, PolicyVersion Version)
{
    /// <summary>What an unlabelled namespace gets (the API server's default configuration).</summary>
    public static readonly LevelVersion Privileged = new(PodSecurityLevel.Privileged, PolicyVersion.Latest);

    /// <inheritdoc />
    public override string ToString() => $"{Level.ToString().ToLowerInvariant()}:{Version}";
}
