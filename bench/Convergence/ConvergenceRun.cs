using System.Globalization;

namespace PgReplica.Bench.Convergence;

/// <summary>
/// One benchmark run: both clusters up side by side, then K rounds that alternate operator and manual
/// additions (so load from other work on the machine falls on both sides alike), then the table.
/// </summary>
public static class ConvergenceRun
{
    /// <summary>Runs everything under a fresh /tmp directory and removes it (and every process) at the end, even on failure or Ctrl-C.</summary>
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken ct)
    {
        var root = Path.Combine("/tmp", "pgr-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var binaries = PostgresBinaries.Discover();
        output.WriteLine($"bench: PostgreSQL binaries {binaries}; {Environment.ProcessorCount} cores, load average {LoadAverage()}; directory {root}");
        var operatorRounds = new List<RoundResult>();
        var manualRounds = new List<RoundResult>();
        OperatorCluster? operatorSide = null;
        ManualCluster? manualSide = null;
        (long Operator, long Manual)? databaseBytes = null;
        try
        {
            output.WriteLine($"bench: starting the sandbox and operator, resource with {options.Standbys} standby(s)");
            operatorSide = await OperatorCluster.StartAsync(Path.Combine(root, "sandbox"), options, ct);
            output.WriteLine($"bench: starting the hand-made primary with {options.Standbys} standby(s)");
            manualSide = await ManualCluster.StartAsync(Path.Combine(root, "manual"), binaries, options, ct);
            databaseBytes = (await operatorSide.DatabaseBytesAsync(ct), await manualSide.DatabaseBytesAsync(ct));
            output.WriteLine($"bench: databases on the primaries: operator {Megabytes(databaseBytes.Value.Operator)} MB, manual {Megabytes(databaseBytes.Value.Manual)} MB");
            await operatorSide.SettleAsync(ct);
            await manualSide.SettleAsync(ct);
            var newStandby = options.Standbys + 1;
            for (var round = 1; round <= options.WarmUpRounds; round++)
            {
                // Untimed, in the same order as a timed round.
                var op = await operatorSide.AddStandbyAsync(ct);
                await operatorSide.RemoveStandbyAsync(ct);
                var manual = await manualSide.AddStandbyAsync(newStandby, ct);
                await manualSide.RemoveStandbyAsync(newStandby, ct);
                output.WriteLine($"warm-up {round} (not counted): operator {Seconds(op.TotalSeconds)} s, pg_basebackup {Seconds(Clone(op, PodStartPhases.Clone))} s; manual {Seconds(manual.TotalSeconds)} s, pg_basebackup {Seconds(Clone(manual, ManualCluster.ClonePhase))} s");
            }

            for (var round = 1; round <= options.Rounds; round++)
            {
                var last = round == options.Rounds;
                var op = await operatorSide.AddStandbyAsync(ct);
                operatorRounds.Add(op);
                output.WriteLine($"round {round}: operator {Seconds(op.TotalSeconds)} s ({Describe(op)})");
                // Even after the last round: every manual round starts once the operator's extra standby is gone and
                // the resource is Ready again (otherwise the last one ran beside a standby just starting up).
                await operatorSide.RemoveStandbyAsync(ct);

                var manual = await manualSide.AddStandbyAsync(newStandby, ct);
                manualRounds.Add(manual);
                output.WriteLine($"round {round}: manual   {Seconds(manual.TotalSeconds)} s ({Describe(manual)})");
                if (!last)
                {
                    await manualSide.RemoveStandbyAsync(newStandby, ct);
                }
            }

            output.WriteLine();
            output.Write(ResultTable.Format(operatorRounds, manualRounds, options, databaseBytes));
            output.WriteLine($"bench: load average at the end {LoadAverage()}");
            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            output.WriteLine("bench: interrupted; the rounds so far:");
            output.Write(ResultTable.Format(operatorRounds, manualRounds, options, databaseBytes));
            return 130;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or Npgsql.NpgsqlException or PgReplica.Kube.Client.KubernetesApiException)
        {
            output.WriteLine($"bench: failed: {e.Message}; the rounds so far:");
            output.Write(ResultTable.Format(operatorRounds, manualRounds, options, databaseBytes));
            return 1;
        }
        finally
        {
            output.WriteLine("bench: stopping every server and the sandbox");
            if (manualSide is not null)
            {
                await manualSide.DisposeAsync();
            }

            if (operatorSide is not null)
            {
                await operatorSide.DisposeAsync();
            }

            if (!options.Keep && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static string Seconds(double s) => s.ToString("0.00", CultureInfo.InvariantCulture);

    private static double Clone(RoundResult r, string phase) => r.Phases.First(p => p.Name == phase).Seconds;

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Describe(RoundResult r) =>
        string.Join(", ", r.Phases.Select(p => $"{p.Name} {Seconds(p.Seconds)}"))
        + (r.Provisioning is { } parts ? $"; provisioning: {string.Join(", ", parts.Select(p => $"{p.Name} {p.Seconds.ToString("0.000", CultureInfo.InvariantCulture)}"))}" : "");

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
