using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>
/// Evaluates a pod against a standard at a version: the baseline checks in id order, then (for restricted) the
/// restricted ones, a restricted check replacing the baseline check it overrides — as upstream's check registry.
/// </summary>
internal static class PodSecurityEvaluator
{
    /// <summary>The failures of <paramref name="pod"/> (a Pod object) at <paramref name="policy"/>.</summary>
    public static PodSecurityResult Evaluate(LevelVersion policy, JsonObject pod) => Evaluate(policy, new PodView(pod));

    /// <summary>The failures of <paramref name="pod"/> at <paramref name="policy"/>.</summary>
    public static PodSecurityResult Evaluate(LevelVersion policy, PodView pod) =>
        new(ChecksAt(policy).Select(check => check(pod)).Where(r => !r.IsAllowed).ToList());

    /// <summary>The checks a level and version runs, in the order their reasons are printed.</summary>
    public static IReadOnlyList<Func<PodView, CheckResult>> ChecksAt(LevelVersion policy)
    {
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return [];
        }

        var minor = Math.Min(policy.Version.Minor, PodSecurityChecks.NewestVersion);
        var applicable = PodSecurityChecks.All
            .Select(c => (c.Id, c.Level, Versioned: c.Versions.LastOrDefault(v => v.Since <= minor)))
            .Where(c => c.Versioned is not null && c.Level <= policy.Level)
            .ToList();
        var overridden = applicable.Select(c => c.Versioned!.Overrides).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return applicable
            .Where(c => !overridden.Contains(c.Id))
            .OrderBy(c => c.Level)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Versioned!.Evaluate)
            .ToList();
    }
}
