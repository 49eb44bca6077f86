namespace PgReplica.Bench.Convergence;

/// <summary>Min and median of a side's round times, and the ratio of two medians (pure arithmetic).</summary>
public static class Timings
{
    /// <summary>The smallest value.</summary>
    public static double Min(IReadOnlyList<double> values) => values.Min();

    /// <summary>The middle value, or the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Element-wise median of named phases over rounds (each round reports the same phase names).</summary>
    public static IReadOnlyList<(string Phase, double Median)> PhaseMedians(IReadOnlyList<RoundResult> rounds) =>
        rounds.Count == 0
            ? []
            : rounds[0].Phases.Select(p => (p.Name, Median(rounds.Select(r => r.Phases.First(q => q.Name == p.Name).Seconds).ToArray()))).ToList();
}
