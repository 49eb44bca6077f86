namespace PgReplica.Operator.Postgres;

/// <summary>The primary's replication state at one instant.</summary>
/// <param name="CurrentLsn">pg_current_wal_lsn() on the primary.</param>
/// <param name="Timeline">The primary's current timeline, from the WAL file name of the current position.</param>
/// <param name="Standbys">One entry per physical slot and per walsender without a slot (e.g. a base backup).</param>
public sealed record ReplicationObservation(Lsn CurrentLsn, int Timeline, IReadOnlyList<StandbyReplication> Standbys)
{
    /// <summary>The entry for a slot, or null when the primary has no such slot.</summary>
    public StandbyReplication? ForSlot(string slotName) =>
        Standbys.FirstOrDefault(s => s.SlotName == slotName);
}

/// <summary>
/// One standby as the primary sees it: its slot (from pg_replication_slots) joined to the walsender
/// using it (pg_stat_replication, slot.active_pid = walsender pid). Either half may be missing.
/// </summary>
public sealed record StandbyReplication
{
    /// <summary>Slot name; null for a walsender without a slot.</summary>
    public string? SlotName { get; init; }

    /// <summary>True when a walsender holds the slot.</summary>
    public bool SlotActive { get; init; }

    /// <summary>reserved, extended, unreserved or lost (PostgreSQL 13+).</summary>
    public string? WalStatus { get; init; }

    /// <summary>Oldest WAL the slot keeps.</summary>
    public Lsn? RestartLsn { get; init; }

    /// <summary>Bytes of WAL the slot pins on the primary: current LSN minus restart_lsn.</summary>
    public long? SlotRetainedWalBytes { get; init; }

    /// <summary>Walsender pid; null when nothing streams from the slot.</summary>
    public int? WalSenderPid { get; init; }

    /// <summary>The standby's application_name (the pod name), or pg_basebackup while cloning.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>startup, catchup, streaming, backup or stopping.</summary>
    public string? State { get; init; }

    /// <summary>async, potential, sync or quorum.</summary>
    public string? SyncState { get; init; }

    /// <summary>Last WAL position sent.</summary>
    public Lsn? SentLsn { get; init; }

    /// <summary>Last position the standby wrote.</summary>
    public Lsn? WriteLsn { get; init; }

    /// <summary>Last position the standby flushed.</summary>
    public Lsn? FlushLsn { get; init; }

    /// <summary>Last position the standby replayed.</summary>
    public Lsn? ReplayLsn { get; init; }

    /// <summary>write_lag in seconds; null when PostgreSQL reports none.</summary>
    public double? WriteLagSeconds { get; init; }

    /// <summary>flush_lag in seconds; null when PostgreSQL reports none.</summary>
    public double? FlushLagSeconds { get; init; }

    /// <summary>replay_lag in seconds as PostgreSQL reports it (null once an idle standby caught up).</summary>
    public double? ReplayLagSecondsReported { get; init; }

    /// <summary>Bytes the standby's replay is behind the primary's current position.</summary>
    public long? ReplayLagBytes { get; init; }

    /// <summary>The primary's position when this was observed.</summary>
    public Lsn CurrentLsn { get; init; }

    /// <summary>
    /// Replay lag in seconds. PostgreSQL nulls replay_lag when an idle standby has caught up;
    /// that means 0 when everything sent was replayed and nothing new was written.
    /// </summary>
    public double? ReplayLagSeconds =>
        ReplayLagSecondsReported ?? (ReplayLsn is { } replay && replay == SentLsn && replay == CurrentLsn ? 0.0 : null);
}
