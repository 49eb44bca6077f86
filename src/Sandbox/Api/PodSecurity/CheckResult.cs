namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>One check's verdict on a pod: allowed, or a reason ("runAsNonRoot != true") with what to change.</summary>
internal readonly record struct CheckResult(string? Reason, string Detail)
{
    /// <summary>The pod passes the check.</summary>
    public static readonly CheckResult Allowed = new(null, "");

    /// <summary>Whether the pod passes.</summary>
    public bool IsAllowed => Reason is null;

    /// <summary>The pod fails the check.</summary>
    public static CheckResult Forbidden(string reason, string detail) => new(reason, detail);
}

/// <summary>The verdicts of every check at one level and version, joined as the API server prints them.</summary>
internal sealed record PodSecurityResult(IReadOnlyList<CheckResult> Failures)
{
    /// <summary>Whether no check failed.</summary>
    public bool Allowed => Failures.Count == 0;

    /// <summary>"allowPrivilegeEscalation != false, unrestricted capabilities" (what namespace warnings list).</summary>
    public string Reasons => string.Join(", ", Failures.Select(f => f.Reason));

    /// <summary>Each reason with its detail in parentheses (what the refusal and the warnings say).</summary>
    public string Details => string.Join(", ", Failures.Select(f => f.Detail.Length == 0 ? f.Reason : $"{f.Reason} ({f.Detail})"));
}
