using System.Text.Json.Serialization;
using PgReplica.Entities.Crd;
using k8s.Models;

namespace PgReplica.Entities.V1Alpha1;

/// <summary>Observed state of a PostgresReplicaSet, written by the operator through the status subresource.</summary>
[Description("Observed state, written by the operator.")]
public sealed class PostgresReplicaSetStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation of the spec this status was computed for.")]
    [Minimum(0)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ObservedGeneration { get; set; }

    /// <summary>Summary of the cluster's state.</summary>
    [JsonPropertyName("phase")]
    [Description("Summary: Initializing (primary starting), Scaling (standbys being added or removed), "
        + "Ready (all wanted standbys streaming), Degraded (a standby is missing or disconnected), "
        + "FailingOver (a standby is being promoted).")]
    [EnumValues(Phases.Initializing, Phases.Scaling, Phases.Ready, Phases.Degraded, Phases.FailingOver)]
    [PrinterColumn("Phase", Order = 5, Description = "Summary of the cluster's state")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phase { get; set; }

    /// <summary>The instance currently accepting writes.</summary>
    [JsonPropertyName("primary")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PrimaryStatus? Primary { get; set; }

    /// <summary>Standbys that exist (scale subresource's status.replicas).</summary>
    [JsonPropertyName("replicas")]
    [Description("Number of standbys that exist, streaming or not.")]
    [Minimum(0)]
    public int Replicas { get; set; }

    /// <summary>Standbys that are streaming.</summary>
    [JsonPropertyName("readyReplicas")]
    [Description("Number of standbys that are streaming WAL from the primary.")]
    [Minimum(0)]
    [PrinterColumn("Ready", Order = 2, Description = "Standbys streaming")]
    public int ReadyReplicas { get; set; }

    /// <summary>Label selector of the standby pods, for the scale subresource.</summary>
    [JsonPropertyName("selector")]
    [Description("Label selector of the standby pods, e.g. pgreplica.io/cluster=orders,pgreplica.io/role=standby "
        + "(read by kubectl scale and autoscalers through the scale subresource).")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Selector { get; set; }

    /// <summary>When the LSN and lag figures in this status were observed (they are refreshed at most every --status-lag-interval).</summary>
    [JsonPropertyName("replicationObservedAt")]
    [Description("When the LSN and lag figures in this status were observed on the primary. They are refreshed at most every "
        + "--status-lag-interval (default 30 s) and only when they moved noticeably; the operator's metrics carry live figures.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplicationObservedAt { get; set; }

    /// <summary>Largest replay lag of any standby, in bytes.</summary>
    [JsonPropertyName("maxReplayLagBytes")]
    [Description("Largest replayLagBytes of any standby: how far the slowest copy is behind, in bytes of WAL.")]
    [Minimum(0)]
    [PrinterColumn("Max Lag (bytes)", Order = 4, Description = "Replay lag of the slowest standby, in bytes of WAL")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxReplayLagBytes { get; set; }

    /// <summary>One entry per standby.</summary>
    [JsonPropertyName("standbys")]
    [Description("One entry per standby, ordered by instance number.")]
    [ListMap("name")]
    [MaxItems(1024)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<StandbyStatus>? Standbys { get; set; }

    /// <summary>Ready, Progressing and Degraded conditions.</summary>
    [JsonPropertyName("conditions")]
    [Description("Conditions (Ready, Progressing, Degraded, SpecInvalid) in the standard Kubernetes shape.")]
    [ListMap("type")]
    [MaxItems(16)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<V1Condition>? Conditions { get; set; }
}

/// <summary>The instance currently accepting writes.</summary>
[Description("The instance currently accepting writes.")]
public sealed class PrimaryStatus
{
    /// <summary>Pod name, e.g. orders-1.</summary>
    [JsonPropertyName("pod")]
    [Description("Name of the primary's pod, e.g. orders-1.")]
    [Required]
    [MaxLength(63)]
    [PrinterColumn("Primary", Order = 3, Description = "Pod accepting writes")]
    public string Pod { get; set; } = "";

    /// <summary>pg_current_wal_lsn() on the primary.</summary>
    [JsonPropertyName("currentLsn")]
    [Description("The primary's current WAL write position (pg_current_wal_lsn()), e.g. 0/3000148.")]
    [Pattern(Patterns.Lsn)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CurrentLsn { get; set; }

    /// <summary>Timeline id; grows by one at every promotion.</summary>
    [JsonPropertyName("timeline")]
    [Description("WAL timeline of the primary; it grows by one at every promotion.")]
    [Minimum(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Timeline { get; set; }
}

/// <summary>One standby's replication progress, from pg_stat_replication and pg_replication_slots on the primary.</summary>
[Description("One standby's replication progress, as the primary sees it (pg_stat_replication, pg_replication_slots).")]
public sealed class StandbyStatus
{
    /// <summary>Pod and Service name.</summary>
    [JsonPropertyName("name")]
    [Description("Name of the standby's pod and Service, e.g. orders-2.")]
    [Required]
    [MaxLength(63)]
    public string Name { get; set; } = "";

    /// <summary>Replication slot on the primary.</summary>
    [JsonPropertyName("slot")]
    [Description("Physical replication slot on the primary that keeps the WAL this standby still needs, e.g. orders_2.")]
    [MaxLength(63)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Slot { get; set; }

    /// <summary>Where the standby is on its way to streaming.</summary>
    [JsonPropertyName("state")]
    [Description("pending (slot made, pod not running), cloning (pg_basebackup copying the primary), "
        + "catchup (replaying WAL to catch up), streaming (keeping up), disconnected (no replication connection), "
        + "stopping (being removed).")]
    [EnumValues(StandbyStates.Pending, StandbyStates.Cloning, StandbyStates.Catchup, StandbyStates.Streaming,
        StandbyStates.Disconnected, StandbyStates.Stopping)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; set; }

    /// <summary>pg_stat_replication.sync_state.</summary>
    [JsonPropertyName("syncState")]
    [Description("Whether commits wait for this standby (pg_stat_replication.sync_state): async, potential, sync or quorum.")]
    [EnumValues(SyncStates.Async, SyncStates.Potential, SyncStates.Sync, SyncStates.Quorum)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SyncState { get; set; }

    /// <summary>Last WAL position sent.</summary>
    [JsonPropertyName("sentLsn")]
    [Description("Last WAL position the primary sent to this standby.")]
    [Pattern(Patterns.Lsn)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SentLsn { get; set; }

    /// <summary>Last WAL position written to the standby's disk.</summary>
    [JsonPropertyName("writeLsn")]
    [Description("Last WAL position the standby wrote to its disk (not yet flushed).")]
    [Pattern(Patterns.Lsn)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WriteLsn { get; set; }

    /// <summary>Last WAL position flushed on the standby.</summary>
    [JsonPropertyName("flushLsn")]
    [Description("Last WAL position the standby flushed to durable storage.")]
    [Pattern(Patterns.Lsn)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FlushLsn { get; set; }

    /// <summary>Last WAL position replayed on the standby.</summary>
    [JsonPropertyName("replayLsn")]
    [Description("Last WAL position the standby replayed, i.e. made visible to its readers.")]
    [Pattern(Patterns.Lsn)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplayLsn { get; set; }

    /// <summary>Bytes of WAL between the primary's position and the standby's replay position.</summary>
    [JsonPropertyName("replayLagBytes")]
    [Description("Bytes of WAL the standby still has to replay to match the primary's current position.")]
    [Minimum(0)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ReplayLagBytes { get; set; }

    /// <summary>pg_stat_replication.replay_lag in seconds.</summary>
    [JsonPropertyName("replayLagSeconds")]
    [Description("Seconds between a commit on the primary and its replay on this standby (pg_stat_replication.replay_lag).")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ReplayLagSeconds { get; set; }

    /// <summary>pg_stat_replication.write_lag in seconds.</summary>
    [JsonPropertyName("writeLagSeconds")]
    [Description("Seconds between a commit on the primary and its write on this standby (pg_stat_replication.write_lag).")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? WriteLagSeconds { get; set; }

    /// <summary>pg_stat_replication.flush_lag in seconds.</summary>
    [JsonPropertyName("flushLagSeconds")]
    [Description("Seconds between a commit on the primary and its flush on this standby (pg_stat_replication.flush_lag).")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FlushLagSeconds { get; set; }

    /// <summary>WAL the slot keeps on the primary, in bytes.</summary>
    [JsonPropertyName("slotRetainedWalBytes")]
    [Description("Bytes of WAL the primary keeps on disk for this standby's slot (capped by maxSlotWalKeepSize).")]
    [Minimum(0)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SlotRetainedWalBytes { get; set; }

    /// <summary>Whether a connection is using the slot.</summary>
    [JsonPropertyName("slotActive")]
    [Description("Whether the standby is connected through its slot right now.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SlotActive { get; set; }
}
