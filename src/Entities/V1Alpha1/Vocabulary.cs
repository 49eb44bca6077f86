namespace PgReplica.Entities.V1Alpha1;

/// <summary>Values of <c>status.phase</c>.</summary>
public static class Phases
{
    /// <summary>The primary is being created or has not accepted connections yet.</summary>
    public const string Initializing = "Initializing";

    /// <summary>Standbys are being added or removed.</summary>
    public const string Scaling = "Scaling";

    /// <summary>The primary runs and every wanted standby streams.</summary>
    public const string Ready = "Ready";

    /// <summary>The primary runs but a standby is missing, disconnected or failing.</summary>
    public const string Degraded = "Degraded";

    /// <summary>The primary is lost and a standby is being promoted.</summary>
    public const string FailingOver = "FailingOver";

    /// <summary>All phases, in the order a cluster usually meets them.</summary>
    public static readonly IReadOnlyList<string> All = [Initializing, Scaling, Ready, Degraded, FailingOver];
}

/// <summary>Values of <c>status.standbys[].state</c>: where a standby is on its way to streaming.</summary>
public static class StandbyStates
{
    /// <summary>Slot created, pod not running yet.</summary>
    public const string Pending = "pending";

    /// <summary>pg_basebackup is copying the primary's data directory.</summary>
    public const string Cloning = "cloning";

    /// <summary>Connected and replaying WAL to catch up with the primary.</summary>
    public const string Catchup = "catchup";

    /// <summary>Connected and keeping up: receives WAL as the primary writes it.</summary>
    public const string Streaming = "streaming";

    /// <summary>Its pod exists but it has no replication connection to the primary.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>Being removed by a scale-down.</summary>
    public const string Stopping = "stopping";

    /// <summary>All states.</summary>
    public static readonly IReadOnlyList<string> All = [Pending, Cloning, Catchup, Streaming, Disconnected, Stopping];
}

/// <summary>Values of <c>status.standbys[].syncState</c>, as <c>pg_stat_replication.sync_state</c> reports them.</summary>
public static class SyncStates
{
    /// <summary>The primary does not wait for this standby.</summary>
    public const string Async = "async";

    /// <summary>Would become synchronous if a synchronous standby failed.</summary>
    public const string Potential = "potential";

    /// <summary>Commits wait for this standby.</summary>
    public const string Sync = "sync";

    /// <summary>One of a quorum (<c>ANY n</c>) commits wait for.</summary>
    public const string Quorum = "quorum";

    /// <summary>All states.</summary>
    public static readonly IReadOnlyList<string> All = [Async, Potential, Sync, Quorum];
}

/// <summary>Values of <c>spec.replication.synchronous.method</c>, the two forms of <c>synchronous_standby_names</c>.</summary>
public static class SynchronousMethods
{
    /// <summary><c>ANY n (…)</c>: commits wait for any n standbys (quorum).</summary>
    public const string Any = "any";

    /// <summary><c>FIRST n (…)</c>: commits wait for the first n standbys in priority order.</summary>
    public const string First = "first";
}

/// <summary>Types of <c>status.conditions</c> (metav1.Condition shape).</summary>
public static class ConditionTypes
{
    /// <summary>True when the primary runs and every wanted standby streams.</summary>
    public const string Ready = "Ready";

    /// <summary>True while the operator is still creating, cloning or removing instances.</summary>
    public const string Progressing = "Progressing";

    /// <summary>True when an instance is missing, failing or disconnected.</summary>
    public const string Degraded = "Degraded";

    /// <summary>True when the spec breaks a rule of <see cref="PostgresReplicaSetRules"/>; the operator then leaves the cluster as it is.</summary>
    public const string SpecInvalid = "SpecInvalid";
}
