using System.Globalization;
using System.Text;

namespace PgReplica.Bench.Convergence;

/// <summary>The printed result: side, runs, min, median, the ratio of the medians, and each side's phases.</summary>
public static class ResultTable
{
    /// <summary>Formats both sides side by side; never a verdict, only figures.</summary>
    public static string Format(IReadOnlyList<RoundResult> operatorRounds, IReadOnlyList<RoundResult> manualRounds, BenchOptions options, (long Operator, long Manual)? databaseBytes = null)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"convergence: add standby {options.Standbys + 1} to a primary with {options.Standbys} standby(s), {options.Rows} extra rows, {options.WarmUpRounds} untimed warm-up round(s) first; operator observe interval {options.ObserveInterval.TotalSeconds:0.###} s, poll {options.PollInterval.TotalMilliseconds:0} ms");
        text.AppendLine(c, $"{"side",-10} {"runs",4} {"min s",8} {"median s",9}   rounds (s)");
        Row(text, "operator", operatorRounds);
        Row(text, "manual", manualRounds);
        if (operatorRounds.Count > 0 && manualRounds.Count > 0)
        {
            var ratio = Timings.Median(Totals(operatorRounds)) / Timings.Median(Totals(manualRounds));
            text.AppendLine(c, $"ratio operator/manual (medians): {ratio:0.00}");
        }

        Phases(text, "operator", operatorRounds);
        Phases(text, "manual", manualRounds);
        Provisioning(text, operatorRounds);
        if (databaseBytes is { } bytes && operatorRounds.Count > 0 && manualRounds.Count > 0)
        {
            // Like with like: pg_basebackup on both sides. The operator's provisioning is a figure of its own.
            var opClone = PhaseMedian(operatorRounds, PodStartPhases.Clone);
            var manualClone = PhaseMedian(manualRounds, ManualCluster.ClonePhase);
            var op = bytes.Operator / 1e6 / opClone;
            var manual = bytes.Manual / 1e6 / manualClone;
            text.AppendLine(c, $"clone throughput (database size / median pg_basebackup): operator {op:0} MB/s ({opClone:0.00} s, in the init container), manual {manual:0} MB/s ({manualClone:0.00} s); operator/manual {op / manual:0%}");
            var withStart = Timings.Median(operatorRounds.Select(r => r.Phases.Where(p => p.Name is PodStartPhases.Provisioning or PodStartPhases.Clone).Sum(p => p.Seconds)).ToArray());
            var opWithStart = bytes.Operator / 1e6 / withStart;
            text.AppendLine(c, $"with provisioning (pod created until pg_basebackup exited, median {withStart:0.00} s): operator {opWithStart:0} MB/s; operator/manual {opWithStart / manual:0%}");
        }

        return text.ToString();
    }

    private static double PhaseMedian(IReadOnlyList<RoundResult> rounds, string phase) =>
        Timings.Median(rounds.Select(r => r.Phases.First(p => p.Name == phase).Seconds).ToArray());

    private static void Provisioning(StringBuilder text, IReadOnlyList<RoundResult> rounds)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = Timings.PhaseMedians(rounds.Where(r => r.Provisioning is not null).Select(r => new RoundResult(r.TotalSeconds, r.Provisioning!)).ToList());
        if (parts.Count > 0)
        {
            text.AppendLine(c, $"operator provisioning, parts (median s, node agent's clock): {string.Join(", ", parts.Select(p => $"{p.Phase} {p.Median.ToString("0.000", c)}"))}");
        }
    }

    private static double[] Totals(IReadOnlyList<RoundResult> rounds) => rounds.Select(r => r.TotalSeconds).ToArray();

    private static void Row(StringBuilder text, string side, IReadOnlyList<RoundResult> rounds)
    {
        var c = CultureInfo.InvariantCulture;
        if (rounds.Count == 0)
        {
            text.AppendLine(c, $"{side,-10} {0,4} {"-",8} {"-",9}");
            return;
        }

        var totals = Totals(rounds);
        var each = string.Join(" ", totals.Select(t => t.ToString("0.00", c)));
        text.AppendLine(c, $"{side,-10} {rounds.Count,4} {Timings.Min(totals),8:0.00} {Timings.Median(totals),9:0.00}   {each}");
    }

    private static void Phases(StringBuilder text, string side, IReadOnlyList<RoundResult> rounds)
    {
        var c = CultureInfo.InvariantCulture;
        var phases = Timings.PhaseMedians(rounds);
        if (phases.Count == 0)
        {
            return;
        }

        text.AppendLine(c, $"{side} phases (median s): {string.Join(", ", phases.Select(p => $"{p.Phase} {p.Median.ToString("0.00", c)}"))}");
    }
}
