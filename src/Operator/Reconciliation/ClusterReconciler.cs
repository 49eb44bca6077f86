using Microsoft.Extensions.Logging;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>
/// One reconcile pass over a PostgresReplicaSet: finalizer, then a <see cref="ClusterPass"/> of guarded, idempotent
/// steps. Each step looks (in the caches) before it acts, so the operator may die between any two API or SQL calls
/// and the next pass picks up where this one stopped. The object handed in is never changed.
/// </summary>
public sealed class ClusterReconciler
{
    private readonly IPrimaryDatabases databases;
    private readonly IClusterEvents events;
    private readonly IReplicationMetrics metrics;
    private readonly ReconcilerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<ClusterReconciler> logger;
    private readonly IKubernetesClient kube;
    private readonly ClusterObjects objects;
    private readonly ClusterFinalizer finalizer;

    /// <summary>A reconciler reading through <paramref name="cache"/> and writing through <paramref name="kube"/>.</summary>
    public ClusterReconciler(IKubernetesClient kube, IClusterCache cache, IPrimaryDatabases databases, IClusterEvents events, IReplicationMetrics metrics,
        ReconcilerOptions options, TimeProvider time, ILogger<ClusterReconciler> logger)
    {
        this.kube = kube;
        this.databases = databases;
        this.events = events;
        this.metrics = metrics;
        this.options = options;
        this.time = time;
        this.logger = logger;
        objects = new ClusterObjects(kube, cache, databases);
        finalizer = new ClusterFinalizer(kube, objects, events, options);
    }

    /// <summary>Runs one pass; returns when to run again (null: only on the next change).</summary>
    public async Task<TimeSpan?> ReconcileAsync(PostgresReplicaSet cluster, CancellationToken ct)
    {
        if (ResourceNames.ClusterNameError(cluster.Metadata.Name) is { } nameError)
        {
            // Nothing can be derived from such a name; the CRD rule normally keeps it out.
            await events.RecordAsync(cluster, ClusterEvent.Warn("InvalidSpec", $"metadata.name: {nameError}"), ct);
            return null;
        }

        if (cluster.Metadata.DeletionTimestamp is not null)
        {
            return (await finalizer.FinalizeAsync(cluster, ct)).WaitFor;
        }

        var current = await finalizer.EnsureAsync(cluster, ct);
        return await new ClusterPass(current, new ClusterPass.Services(kube, objects, events, metrics, options, time, logger), ct).RunAsync();
    }

    /// <summary>After the resource is gone from the API: close its connection pool and drop its metrics.</summary>
    public async Task DeletedAsync(PostgresReplicaSet cluster)
    {
        await databases.ForgetAsync(ClusterObjects.Key(cluster));
        metrics.Forget(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name ?? "");
    }
}
