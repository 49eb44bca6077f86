using Microsoft.Extensions.Logging;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Kube.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Reconciliation;

/// <summary>The PostgresReplicaSet controller the runtime calls (KubeOps' IEntityController shape).</summary>
public sealed class PostgresReplicaSetController(ClusterReconciler reconciler) : IEntityController<PostgresReplicaSet>
{
    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(PostgresReplicaSet entity, CancellationToken ct)
    {
        // The runtime hands out its cached object; the pass updates finalizers and status on its own copy.
        var copy = KubernetesJson.Deserialize<PostgresReplicaSet>(KubernetesJson.Serialize(entity))!;
        var next = await reconciler.ReconcileAsync(copy, ct);
        return next is { } delay ? ReconcileResult.Requeue(delay) : ReconcileResult.Done;
    }

    /// <inheritdoc />
    public Task DeletedAsync(PostgresReplicaSet entity, CancellationToken ct) => reconciler.DeletedAsync(entity);

    /// <summary>
    /// The runtime controller for `pgreplica run`: reconciles PostgresReplicaSets and re-runs a cluster's pass
    /// when one of its Pods, PVCs or Services changes. Dispose the returned databases when the controller stops.
    /// </summary>
    public static (Controller<PostgresReplicaSet> Controller, PrimaryDatabases Databases) Create(
        IKubernetesClient client,
        IReplicationMetrics metrics,
        ILoggerFactory logging,
        ReconcilerOptions? options = null,
        ControllerOptions? controllerOptions = null,
        TimeProvider? time = null)
    {
        var databases = new PrimaryDatabases();
        var recorder = new EventRecorder(client, "pgreplica-operator", Environment.MachineName, time);
        var reconciler = new ClusterReconciler(client, databases, new RecordedEvents(recorder, logging.CreateLogger<RecordedEvents>()), metrics,
            options ?? new ReconcilerOptions(), time ?? TimeProvider.System, logging.CreateLogger<ClusterReconciler>());
        var controller = new Controller<PostgresReplicaSet>(client, new PostgresReplicaSetController(reconciler), controllerOptions)
            .Owns<Pod>()
            .Owns<PersistentVolumeClaim>()
            .Owns<Service>();
        return (controller, databases);
    }
}
