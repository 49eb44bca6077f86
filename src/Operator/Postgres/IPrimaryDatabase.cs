namespace PgReplica.Operator.Postgres;

/// <summary>What the reconciler does on a cluster's primary: readiness, slots, replication observation.</summary>
public interface IPrimaryDatabase
{
    /// <summary>True when the primary accepts a connection and answers a query; false (never throws) otherwise.</summary>
    Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken);

    /// <summary>Physical replication slots on the primary.</summary>
    ISlotStore Slots { get; }

    /// <summary>The one-query view of every standby's replication.</summary>
    IReplicationObserver Replication { get; }
}

/// <summary>Hands out the primary database of each cluster, replacing the connection pool when the endpoint moves.</summary>
public interface IPrimaryDatabases
{
    /// <summary>The primary of the cluster named by key (namespace/name), reached at endpoint.</summary>
    IPrimaryDatabase For(string clusterKey, PostgresEndpoint endpoint);

    /// <summary>Closes the cluster's connections, e.g. when the cluster is deleted.</summary>
    ValueTask ForgetAsync(string clusterKey);
}

/// <summary>Creates, lists and drops physical replication slots.</summary>
public interface ISlotStore
{
    /// <summary>Creates the slot reserving WAL at once, unless it exists already.</summary>
    Task<SlotEnsureOutcome> EnsureAsync(string slotName, CancellationToken cancellationToken);

    /// <summary>Drops the slot unless a walsender is using it.</summary>
    Task<SlotDropResult> DropAsync(string slotName, CancellationToken cancellationToken);

    /// <summary>Every physical slot on the primary.</summary>
    Task<IReadOnlyList<ReplicationSlot>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Reads the state of replication on the primary.</summary>
public interface IReplicationObserver
{
    /// <summary>One consistent snapshot: the primary's position and every standby's walsender and slot.</summary>
    Task<ReplicationObservation> ObserveAsync(CancellationToken cancellationToken);
}
