using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>
/// One pass over a live cluster, step by step: Secret, primary, standbys wanted and unwanted, roll-out, then status,
/// Events and metrics. A step that must wait ends the pass with a requeue; that is not an error.
/// </summary>
public sealed class ClusterPass(PostgresReplicaSet cluster, ClusterPass.Services with, CancellationToken ct)
{
    private readonly ClusterNames names = new(cluster.Metadata.Name!);
    private readonly List<string> problems = [];
    private readonly List<ClusterEvent> stepEvents = [];

    /// <summary>What a pass works with.</summary>
    public sealed record Services(IKubernetesClient Kube, ClusterObjects Objects, IClusterEvents Events, IReplicationMetrics Metrics,
        ReconcilerOptions Options, TimeProvider Time, ILogger Logger);

    /// <summary>Runs the steps; returns when to run again.</summary>
    public async Task<TimeSpan?> RunAsync()
    {
        var spec = cluster.Spec;
        var parameters = PostgresParameters.Merge(spec.Postgresql?.Parameters, spec.Replication?.MaxSlotWalKeepSize);
        problems.AddRange(PostgresReplicaSetRules.CheckSpec(spec).Select(v => $"{v.Path}: {v.Message}"));
        problems.AddRange(parameters.Rejected
            .Where(r => !problems.Any(p => p.Contains(r.Name, StringComparison.Ordinal)))
            .Select(r => $"spec.postgresql.parameters.{r.Name}: {r.Reason}"));
        // A replica count outside the schema's range never drives a scale-down: nothing is created or removed.
        var scalable = spec.Replicas is >= 0 and <= PostgresReplicaSetSpec.MaxReplicas;
        if (!scalable) problems.Add($"spec.replicas: {spec.Replicas} is outside 0..{PostgresReplicaSetSpec.MaxReplicas}; standbys are left as they are");

        var inventory = with.Objects.Inventory(cluster, names);
        var primaryOrdinal = inventory.PrimaryOrdinal(cluster.Status);

        await EnsureSecretAsync();
        await EnsurePrimaryAsync(inventory, primaryOrdinal, parameters);

        var database = await with.Objects.ConnectAsync(cluster, names, inventory, primaryOrdinal, ct);
        if (database is null)
        {
            await RebuildStalePrimaryAsync(inventory, primaryOrdinal, parameters);
            // Waiting for the primary is not an error: report it and look again soon.
            await FinishAsync(inventory, primaryOrdinal, null, [], [], primaryUp: false);
            return with.Options.WaitInterval;
        }

        var slots = await database.Slots.ListAsync(ct);
        var existing = new ExistingInstances(
            primaryOrdinal,
            inventory.Pods.Keys.ToHashSet(),
            inventory.SlotOrdinals(slots),
            inventory.Claims.Keys.ToHashSet(),
            inventory.Services.Keys.ToHashSet());
        var plan = scalable
            ? ScalePlan.Decide(spec.Replicas, existing)
            : new ScalePlan(existing.Standbys.Order().ToList(), [], []);

        var standbys = await EnsureStandbysAsync(database, inventory, primaryOrdinal, plan.Wanted, parameters);
        var removals = await RemoveStandbysAsync(database, inventory, plan.ToRemove);
        await EnsureServiceAsync(inventory, ServiceBuilder.ReadOnly(cluster));

        var observation = await database.Replication.ObserveAsync(ct);
        var rollOut = standbys.MustWait || removals.MustWait || !scalable
            ? StepResult.Continue
            : await RollOutAsync(inventory, primaryOrdinal, plan.Wanted, parameters, observation);

        await FinishAsync(inventory, primaryOrdinal, observation, plan.Wanted, plan.ToRemove, primaryUp: true);
        return standbys.MustWait || removals.MustWait || rollOut.MustWait ? with.Options.WaitInterval : with.Options.ObserveInterval;
    }

    /// <summary>Secret: made once; an existing one is never replaced, or data made with its passwords would be locked out.</summary>
    private async Task EnsureSecretAsync()
    {
        if (with.Objects.Secret(cluster, names) is null && await with.Objects.CreateAsync(SecretBuilder.Build(cluster), ct, problems) is not null)
        {
            stepEvents.Add(ClusterEvent.Info("SecretCreated", $"created Secret {names.ReplicationSecret} with generated passwords"));
        }
    }

    /// <summary>Primary: PVC, Pod, -rw Service.</summary>
    private async Task EnsurePrimaryAsync(ClusterInventory inventory, int primaryOrdinal, PostgresParameters parameters)
    {
        await EnsureClaimAsync(inventory, primaryOrdinal);
        if (!inventory.Pods.ContainsKey(primaryOrdinal) && await with.Objects.CreateAsync(InstancePodBuilder.Primary(cluster, primaryOrdinal, parameters), ct, problems) is not null)
        {
            stepEvents.Add(ClusterEvent.Info("PrimaryCreated", $"created primary pod {names.Pod(primaryOrdinal)}"));
        }

        await EnsureServiceAsync(inventory, ServiceBuilder.ReadWrite(cluster));
    }

    /// <summary>
    /// A primary that is down and was built from an older spec (say, a bad setting since fixed) is rebuilt with the
    /// current one; it serves nobody, and waiting would never end.
    /// </summary>
    private async Task RebuildStalePrimaryAsync(ClusterInventory inventory, int primaryOrdinal, PostgresParameters parameters)
    {
        if (inventory.Pods.TryGetValue(primaryOrdinal, out var down) && down.Metadata.DeletionTimestamp is null
            && !StandbyStateRules.PodReady(down) && InstancePodBuilder.ConfigHashOf(down) != InstancePodBuilder.ConfigHash(cluster, parameters))
        {
            await with.Objects.DeleteAsync<V1Pod>(down.Metadata.Name!, cluster, ct);
            stepEvents.Add(ClusterEvent.Info("PrimaryRestarted", $"recreating primary pod {down.Metadata.Name} with the current settings"));
        }
    }

    /// <summary>
    /// Every wanted standby. A new standby clones through the -rw Service, which routes only to a Ready primary:
    /// creating its pod before then only makes pg_basebackup fail and back off. Standbys that exist are still looked after.
    /// </summary>
    private async Task<StepResult> EnsureStandbysAsync(IPrimaryDatabase database, ClusterInventory inventory, int primaryOrdinal, IReadOnlyList<int> wanted, PostgresParameters parameters)
    {
        var primaryReady = StandbyStateRules.PodReady(inventory.Pods.GetValueOrDefault(primaryOrdinal));
        var result = StepResult.Continue;
        foreach (var ordinal in wanted)
        {
            if (!primaryReady && !inventory.Pods.ContainsKey(ordinal))
            {
                result = StepResult.Wait(with.Options.WaitInterval);
                continue;
            }

            await EnsureStandbyAsync(database, inventory, ordinal, parameters);
        }

        return result;
    }

    /// <summary>Unwanted standbys, highest ordinal first, one at a time.</summary>
    private async Task<StepResult> RemoveStandbysAsync(IPrimaryDatabase database, ClusterInventory inventory, IReadOnlyList<int> toRemove)
    {
        foreach (var ordinal in toRemove)
        {
            if (!await RemoveStandbyAsync(database, inventory, ordinal)) return StepResult.Wait(with.Options.WaitInterval);
        }

        return StepResult.Continue;
    }

    /// <summary>
    /// Pods built from an older spec (image, resources, settings) are recreated one at a time on their own
    /// volume: first standbys that are down anyway, then streaming standbys while all others stream, then the
    /// primary once every standby streams. Waits when it restarted something.
    /// </summary>
    private async Task<StepResult> RollOutAsync(ClusterInventory inventory, int primaryOrdinal, IReadOnlyList<int> wanted, PostgresParameters parameters, ReplicationObservation observation)
    {
        if (inventory.Pods.Values.Any(p => p.Metadata.DeletionTimestamp is not null)) return StepResult.Wait(with.Options.WaitInterval);
        var desired = InstancePodBuilder.ConfigHash(cluster, parameters);
        bool Stale(int ordinal) => inventory.Pods.TryGetValue(ordinal, out var pod) && InstancePodBuilder.ConfigHashOf(pod) != desired;
        bool Streaming(int ordinal) => observation.ForSlot(names.Slot(ordinal)) is { WalSenderPid: not null, State: "streaming" };

        var target = wanted.Where(o => Stale(o) && !Streaming(o)).Order().Cast<int?>().FirstOrDefault();
        if (target is null && wanted.All(o => inventory.Pods.ContainsKey(o) && Streaming(o)))
        {
            target = wanted.Where(Stale).Order().Cast<int?>().FirstOrDefault()
                ?? (Stale(primaryOrdinal) ? primaryOrdinal : null);
        }

        if (target is not { } ordinal) return StepResult.Continue;
        await with.Objects.DeleteAsync<V1Pod>(names.Pod(ordinal), cluster, ct);
        var role = ordinal == primaryOrdinal ? "Primary" : "Standby";
        stepEvents.Add(ClusterEvent.Info($"{role}Restarted", $"recreating {role.ToLowerInvariant()} pod {names.Pod(ordinal)} on its volume to apply the current spec"));
        return StepResult.Wait(with.Options.WaitInterval);
    }

    /// <summary>Slot first, then PVC, Pod, Service: a standby cut short while being made always has its slot, so the plan keeps it.</summary>
    private async Task EnsureStandbyAsync(IPrimaryDatabase database, ClusterInventory inventory, int ordinal, PostgresParameters parameters)
    {
        var slot = names.Slot(ordinal);
        if (await database.Slots.EnsureAsync(slot, ct) == SlotEnsureOutcome.Created)
        {
            stepEvents.Add(ClusterEvent.Info("SlotCreated", $"created replication slot {slot} for {names.Pod(ordinal)}"));
        }

        await EnsureClaimAsync(inventory, ordinal);
        if (!inventory.Pods.ContainsKey(ordinal) && await with.Objects.CreateAsync(InstancePodBuilder.Standby(cluster, ordinal, parameters), ct, problems) is not null)
        {
            stepEvents.Add(ClusterEvent.Info("StandbyCreated", $"created standby pod {names.Pod(ordinal)} streaming through slot {slot}"));
        }

        if (!inventory.Services.ContainsKey(ordinal))
        {
            await with.Objects.CreateAsync(ServiceBuilder.Instance(cluster, ordinal), ct, problems);
        }
    }

    /// <summary>
    /// Pod, then slot, then PVC and Service. Returns false when it must wait: the pod is still terminating,
    /// or a walsender still holds the slot (a slot is never dropped while in use).
    /// </summary>
    private async Task<bool> RemoveStandbyAsync(IPrimaryDatabase database, ClusterInventory inventory, int ordinal)
    {
        if (inventory.Pods.TryGetValue(ordinal, out var pod))
        {
            if (pod.Metadata.DeletionTimestamp is null) await with.Objects.DeleteAsync<V1Pod>(pod.Metadata.Name!, cluster, ct);
            return false;
        }

        var slot = names.Slot(ordinal);
        var dropped = await database.Slots.DropAsync(slot, ct);
        switch (dropped.Outcome)
        {
            case SlotDropOutcome.Active:
                with.Logger.LogInformation("slot {Slot} is still used by walsender {Pid}; waiting before dropping it", slot, dropped.ActivePid);
                return false;
            case SlotDropOutcome.Dropped:
                stepEvents.Add(ClusterEvent.Info("SlotDropped", $"dropped replication slot {slot}"));
                break;
        }

        if (inventory.Claims.TryGetValue(ordinal, out var claim)) await with.Objects.DeleteAsync<V1PersistentVolumeClaim>(claim.Metadata.Name!, cluster, ct);
        if (inventory.Services.TryGetValue(ordinal, out var service)) await with.Objects.DeleteAsync<V1Service>(service.Metadata.Name!, cluster, ct);
        stepEvents.Add(ClusterEvent.Info("ScaledDown", $"removed standby {names.Pod(ordinal)}, its slot, volume and Service"));
        return true;
    }

    private async Task EnsureClaimAsync(ClusterInventory inventory, int ordinal)
    {
        if (!inventory.Claims.ContainsKey(ordinal)) await with.Objects.CreateAsync(ClaimBuilder.Build(cluster, ordinal), ct, problems);
    }

    private async Task EnsureServiceAsync(ClusterInventory inventory, V1Service desired)
    {
        if (!inventory.NamedServices.Contains(desired.Metadata.Name!)) await with.Objects.CreateAsync(desired, ct, problems);
    }

    /// <summary>Status (through the status subresource, only when <see cref="StatusWritePolicy"/> says so), Events, metrics (every observation).</summary>
    private async Task FinishAsync(ClusterInventory inventory, int primaryOrdinal, ReplicationObservation? observation, IReadOnlyList<int> wanted, IReadOnlyList<int> removing, bool primaryUp)
    {
        inventory.Pods.TryGetValue(primaryOrdinal, out var primaryPod);
        var standbyPods = inventory.Pods.Where(p => p.Key != primaryOrdinal).ToDictionary();
        var wantedForStatus = primaryUp ? wanted : PlannedWithoutPrimary(inventory, primaryOrdinal);
        var snapshot = new ClusterSnapshot(cluster, primaryOrdinal, primaryPod, primaryUp, observation, wantedForStatus, removing, standbyPods, problems);
        var previous = cluster.Status;
        var now = with.Time.GetUtcNow();
        var status = StatusBuilder.Build(snapshot, previous, now);
        if (StatusWritePolicy.Decide(previous, status, now, with.Options.StatusLagInterval) is { } write)
        {
            var patch = new JsonPatch().Add("/status", JsonNode.Parse(KubernetesJson.Serialize(write)));
            await with.Kube.PatchStatusAsync<PostgresReplicaSet>(cluster.Metadata.Name!, cluster.Metadata.NamespaceProperty, KubernetesPatch.Json(patch), ct);
        }

        foreach (var e in stepEvents.Concat(StatusTransitions.Between(previous, status)))
        {
            await with.Events.RecordAsync(cluster, e, ct);
        }

        if (observation is not null)
        {
            with.Metrics.Publish(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name!, cluster.Spec.Replicas, status);
        }
    }

    // Without the primary the slots are unknown; report the standbys that have pods, up to the wanted count.
    private List<int> PlannedWithoutPrimary(ClusterInventory inventory, int primaryOrdinal) =>
        inventory.Pods.Keys.Where(o => o != primaryOrdinal).Order().Take(Math.Max(0, cluster.Spec.Replicas)).ToList();
}
