using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>
/// What the API server warns when a namespace starts enforcing a stricter standard: running pods are never evicted,
/// but those that would now be refused are named, one line per distinct set of reasons.
/// </summary>
internal static class ExistingPods
{
    /// <summary>The warnings for <paramref name="pods"/> of <paramref name="ns"/> under the new <paramref name="enforce"/>; none when all pass.</summary>
    public static IReadOnlyList<string> Warnings(string ns, LevelVersion enforce, IEnumerable<JsonObject> pods)
    {
        var failing = pods
            .Select(p => (Name: PodView.Text(p["metadata"]?["name"]) ?? "", Result: PodSecurityEvaluator.Evaluate(enforce, p)))
            .Where(p => !p.Result.Allowed)
            .GroupBy(p => p.Result.Reasons, StringComparer.Ordinal)
            .Select(g => $"{Named(g.Select(p => p.Name).Order(StringComparer.Ordinal).ToList())}: {g.Key}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return failing.Count == 0
            ? []
            : [$"existing pods in namespace {FieldError.Quote(ns)} violate the new PodSecurity enforce level {FieldError.Quote(enforce.ToString())}", .. failing];
    }

    // The first pod by name, and how many others share its reasons.
    private static string Named(IReadOnlyList<string> names) => names.Count switch
    {
        1 => names[0],
        2 => $"{names[0]} (and 1 other pod)",
        _ => $"{names[0]} (and {names.Count - 1} other pods)",
    };
}
