using Microsoft.Extensions.Logging;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using System.Text.Json.Nodes;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>The PostgresReplicaSet controller the runtime calls (KubeOps' IEntityController shape).</summary>
public sealed class PostgresReplicaSetController(ClusterReconciler reconciler, IKubernetesClient kube, IClusterEvents events, ReconcilerOptions options)
    : IEntityController<PostgresReplicaSet>
{
    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(PostgresReplicaSet entity, CancellationToken ct)
    {
        try
        {
            var next = await reconciler.ReconcileAsync(entity, ct);
            return next is { } delay ? ReconcileResult.Requeue(delay) : ReconcileResult.Done;
        }
        catch (Exception e) when (ReconcileErrorPolicy.IsRefusal(e))
        {
            // Retrying hot cannot help: a person must fix the RBAC or the input. Say so where they look, then retry slowly.
            var message = ReconcileErrorPolicy.Describe(e);
            await events.RecordAsync(entity, ClusterEvent.Warn("ReconcileFailed", message), ct);
            await ReportRefusalAsync(entity, message, ct);
            return ReconcileResult.Requeue(options.RefusedRetryInterval);
        }
    }

    private async Task ReportRefusalAsync(PostgresReplicaSet entity, string message, CancellationToken ct)
    {
        var conditions = ConditionList.Set(entity.Status?.Conditions, ConditionList.Types.Degraded, true, "ReconcileFailed", message,
            entity.Metadata.Generation, DateTimeOffset.UtcNow);
        var patch = KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject { ["conditions"] = JsonNode.Parse(KubernetesJson.Serialize(conditions)) } });
        try
        {
            await kube.PatchStatusAsync<PostgresReplicaSet>(entity.Metadata.Name!, entity.Metadata.NamespaceProperty, patch, ct);
        }
        catch (KubernetesApiException)
        {
            // The Event already carries it; a status we may not write either is no reason to fail harder.
        }
    }

    /// <inheritdoc />
    public Task DeletedAsync(PostgresReplicaSet entity, CancellationToken ct) => reconciler.DeletedAsync(entity);

    /// <summary>
    /// The runtime controller for `pgreplica run`: reconciles PostgresReplicaSets and re-runs a cluster's pass
    /// when one of its Pods, PVCs, Services or its Secret changes. Dispose the returned databases when the controller stops.
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
        var events = new RecordedEvents(recorder, logging.CreateLogger<RecordedEvents>());
        options ??= new ReconcilerOptions();
        Controller<PostgresReplicaSet>? controller = null;
        var cache = new StoreClusterCache(() => controller!);
        var reconciler = new ClusterReconciler(client, cache, databases, events, metrics, options, time ?? TimeProvider.System, logging.CreateLogger<ClusterReconciler>());

        // Every kind a pass reads is watched into a store: passes read the stores, never LIST or GET.
        controller = new Controller<PostgresReplicaSet>(client, new PostgresReplicaSetController(reconciler, client, events, options), controllerOptions)
            .Owns<V1Pod>()
            .Owns<V1PersistentVolumeClaim>()
            .Owns<V1Service>()
            .Owns<V1Secret>();
        return (controller, databases);
    }
}
