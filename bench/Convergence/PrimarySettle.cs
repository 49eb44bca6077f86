using Npgsql;

namespace PgReplica.Bench.Convergence;

/// <summary>
/// Brings a primary to rest before the rounds (untimed), so that both sides start alike. The operator's standbys
/// exist before the rows are loaded and still replay that WAL (about 1 GB for 7,000,000 rows) when loading ends,
/// the hand-made ones are cloned afterwards and have nothing to replay; and the primary loaded last has the warmer
/// page cache.
/// </summary>
public static class PrimarySettle
{
    /// <summary>Reads the rows once, then waits until every standby has replayed all the WAL the primary wrote.</summary>
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
    }
}
