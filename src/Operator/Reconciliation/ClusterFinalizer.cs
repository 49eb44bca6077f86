using k8s.Models;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Kube.Runtime;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>
/// The finalizer's two ends, on the runtime's guarded finalizer patches: put it on a live resource, and on deletion
/// stop the standbys, wait until their pods are gone, drop their slots, then take it off. The primary, PVCs and
/// Services go by garbage collection through their ownerReferences.
/// </summary>
public sealed class ClusterFinalizer(IKubernetesClient kube, ClusterObjects objects, IClusterEvents events, ReconcilerOptions options)
{
    /// <summary>The resource with the finalizer on it (the server's answer; the argument is left as it was).</summary>
    public async Task<PostgresReplicaSet> EnsureAsync(PostgresReplicaSet cluster, CancellationToken ct) =>
        cluster.Metadata.Finalizers?.Contains(options.Finalizer) == true
            ? cluster
            : await Finalizers.AddAsync(kube, cluster, options.Finalizer, ct);

    /// <summary>One deletion step: wait while standbys stop or a slot is in use, else release the resource.</summary>
    public async Task<StepResult> FinalizeAsync(PostgresReplicaSet cluster, CancellationToken ct)
    {
        if (cluster.Metadata.Finalizers?.Contains(options.Finalizer) != true) return StepResult.Continue;
        var names = new ClusterNames(cluster.Metadata.Name!);
        var inventory = objects.Inventory(cluster, names);
        var primaryOrdinal = inventory.PrimaryOrdinal(cluster.Status);
        var standbyPods = inventory.Pods.Where(p => p.Key != primaryOrdinal).ToList();
        foreach (var (_, pod) in standbyPods.Where(p => p.Value.Metadata.DeletionTimestamp is null))
        {
            await objects.DeleteAsync<V1Pod>(pod.Metadata.Name!, cluster, ct);
        }

        if (standbyPods.Count > 0) return StepResult.Wait(options.WaitInterval);

        var database = await objects.ConnectAsync(cluster, names, inventory, primaryOrdinal, ct);
        if (database is not null)
        {
            var slots = await database.Slots.ListAsync(ct);
            foreach (var ordinal in inventory.SlotOrdinals(slots).OrderDescending())
            {
                var dropped = await database.Slots.DropAsync(names.Slot(ordinal), ct);
                if (dropped.Outcome == SlotDropOutcome.Active) return StepResult.Wait(options.WaitInterval);
                if (dropped.Outcome == SlotDropOutcome.Dropped)
                    await events.RecordAsync(cluster, ClusterEvent.Info("SlotDropped", $"dropped replication slot {names.Slot(ordinal)}"), ct);
            }
        }

        // An unreachable primary is being deleted too: its slots go with its volume.
        await Finalizers.RemoveAsync(kube, cluster, options.Finalizer, ct);
        return StepResult.Continue;
    }
}
