namespace PgReplica.Operator.Postgres;

/// <summary>A physical replication slot as pg_replication_slots shows it.</summary>
public sealed record ReplicationSlot(string Name, bool Active, int? ActivePid, Lsn? RestartLsn, string? WalStatus);

/// <summary>What EnsureAsync found.</summary>
public enum SlotEnsureOutcome
{
    /// <summary>The slot was created by this call.</summary>
    Created,

    /// <summary>The slot was already there; nothing changed.</summary>
    AlreadyExisted,
}

/// <summary>What DropAsync did.</summary>
public enum SlotDropOutcome
{
    /// <summary>The slot was dropped by this call.</summary>
    Dropped,

    /// <summary>There was no such slot; nothing to do.</summary>
    Absent,

    /// <summary>A walsender uses the slot, so it was left alone; try again once the standby is gone.</summary>
    Active,
}

/// <summary>The outcome of a drop, with the walsender's pid when the slot was in use.</summary>
public sealed record SlotDropResult(SlotDropOutcome Outcome, int? ActivePid = null);
