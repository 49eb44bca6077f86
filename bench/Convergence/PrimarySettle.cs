using System.Diagnostics;
using Npgsql;

namespace PgReplica.Bench.Convergence;

/// <summary>
/// Brings a primary to rest before the rounds (untimed), so that both sides start alike. The operator's standbys
/// exist before the rows are loaded and still replay that WAL (about 1 GB for 7,000,000 rows) when loading ends,
/// the hand-made ones are cloned afterwards and have nothing to replay. Replaying leaves the operator's standby with
/// about 1 GB of dirty pages that the kernel would write back during the first round, so the settle ends with
/// <c>sync</c>. Before that, reading the rows once brings them into the page cache on both sides and sets their hint
/// bits (the first reader of freshly loaded rows dirties every page), which the sync then writes too.
/// </summary>
public static class PrimarySettle
{
    /// <summary>Reads the rows once, waits until every standby has replayed all the WAL the primary wrote, then writes every dirty page to disk.</summary>
    public static async Task SettleAsync(NpgsqlDataSource primary, BenchOptions options, CancellationToken ct)
    {
        if (options.Rows > 0)
        {
            await using var read = primary.CreateCommand("SELECT count(*) FROM bench_rows");
            read.CommandTimeout = 0;
            await read.ExecuteScalarAsync(ct);
        }

        await Poll.UntilAsync(
            async token =>
            {
                await using var caughtUp = primary.CreateCommand(
                    "SELECT count(*) FILTER (WHERE replay_lsn >= pg_current_wal_lsn()) FROM pg_stat_replication WHERE state = 'streaming'");
                return (long)(await caughtUp.ExecuteScalarAsync(token))! >= options.Standbys;
            },
            options.PollInterval,
            options.Timeout,
            "every standby replayed the primary's WAL",
            ct);
        using var sync = Process.Start("/usr/bin/sync") ?? throw new InvalidOperationException("could not start sync");
        await sync.WaitForExitAsync(ct);
    }
}
