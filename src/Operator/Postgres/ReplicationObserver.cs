using System.Globalization;
using Npgsql;

namespace PgReplica.Operator.Postgres;

/// <summary>Reads every standby's replication state from the primary in one query.</summary>
public sealed class ReplicationObserver(NpgsqlDataSource dataSource) : IReplicationObserver
{
    // One statement, so every row shares one snapshot and one current LSN. Slots and walsenders are
    // joined on slot.active_pid = walsender pid; the full join keeps idle slots (a standby that is
    // down) and walsenders without a slot (a base backup's main connection). The outer join to the
    // one-row "primary" keeps a row even when there are no standbys, to carry the LSN and timeline.
    internal const string Sql = """
        WITH primary_position AS (
            SELECT pg_current_wal_lsn() AS lsn, pg_walfile_name(pg_current_wal_lsn()) AS walfile
        ),
        standbys AS (
            SELECT s.slot_name::text AS slot_name, coalesce(s.active, false) AS slot_active, s.wal_status,
                   s.restart_lsn, r.pid, r.application_name, r.state, r.sync_state,
                   r.sent_lsn, r.write_lsn, r.flush_lsn, r.replay_lsn,
                   extract(epoch FROM r.write_lag)::float8 AS write_lag,
                   extract(epoch FROM r.flush_lag)::float8 AS flush_lag,
                   extract(epoch FROM r.replay_lag)::float8 AS replay_lag
            FROM (SELECT * FROM pg_replication_slots WHERE slot_type = 'physical') s
            FULL JOIN pg_stat_replication r ON r.pid = s.active_pid
        )
        SELECT p.lsn::text, p.walfile,
               st.slot_name, st.slot_active, st.wal_status, st.restart_lsn::text,
               pg_wal_lsn_diff(p.lsn, st.restart_lsn)::bigint,
               st.pid, st.application_name, st.state, st.sync_state,
               st.sent_lsn::text, st.write_lsn::text, st.flush_lsn::text, st.replay_lsn::text,
               st.write_lag, st.flush_lag, st.replay_lag,
               pg_wal_lsn_diff(p.lsn, st.replay_lsn)::bigint
        FROM primary_position p LEFT JOIN standbys st ON true
        ORDER BY st.slot_name NULLS LAST, st.pid
        """;

    /// <inheritdoc />
    public async Task<ReplicationObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var current = Lsn.Zero;
        var timeline = 0;
        var standbys = new List<StandbyReplication>();
        while (await reader.ReadAsync(cancellationToken))
        {
            current = Lsn.Parse(reader.GetString(0));
            timeline = TimelineOfWalFile(reader.GetString(1));
            var hasSlot = !reader.IsDBNull(2);
            var hasSender = !reader.IsDBNull(7);
            if (!hasSlot && !hasSender) continue;
            standbys.Add(new StandbyReplication
            {
                CurrentLsn = current,
                SlotName = reader.IsDBNull(2) ? null : reader.GetString(2),
                SlotActive = !reader.IsDBNull(3) && reader.GetBoolean(3),
                WalStatus = reader.IsDBNull(4) ? null : reader.GetString(4),
                RestartLsn = LsnOrNull(reader, 5),
                SlotRetainedWalBytes = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                WalSenderPid = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                ApplicationName = reader.IsDBNull(8) ? null : reader.GetString(8),
                State = reader.IsDBNull(9) ? null : reader.GetString(9),
                SyncState = reader.IsDBNull(10) ? null : reader.GetString(10),
                SentLsn = LsnOrNull(reader, 11),
                WriteLsn = LsnOrNull(reader, 12),
                FlushLsn = LsnOrNull(reader, 13),
                ReplayLsn = LsnOrNull(reader, 14),
                WriteLagSeconds = reader.IsDBNull(15) ? null : reader.GetDouble(15),
                FlushLagSeconds = reader.IsDBNull(16) ? null : reader.GetDouble(16),
                ReplayLagSecondsReported = reader.IsDBNull(17) ? null : reader.GetDouble(17),
                ReplayLagBytes = reader.IsDBNull(18) ? null : reader.GetInt64(18),
            });
        }

        return new ReplicationObservation(current, timeline, standbys);
    }

    /// <summary>The timeline is the first 8 hex digits of a WAL file name (TTTTTTTTXXXXXXXXYYYYYYYY).</summary>
    internal static int TimelineOfWalFile(string walFileName) =>
        walFileName.Length >= 8 && int.TryParse(walFileName.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var timeline)
            ? timeline
            : throw new FormatException($"not a WAL file name: '{walFileName}'");

    private static Lsn? LsnOrNull(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Lsn.Parse(reader.GetString(ordinal));
}
