using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Kube.Models;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>
/// One reconcile pass over a PostgresReplicaSet as a chain of guarded, idempotent steps. Each step looks
/// before it acts, so the operator may die between any two API or SQL calls and the next pass picks up
/// where this one stopped. A step that must wait ends the pass with a requeue; that is not an error.
/// </summary>
public sealed class ClusterReconciler(
    IKubernetesClient kube,
    IPrimaryDatabases databases,
    IClusterEvents events,
    IReplicationMetrics metrics,
    ReconcilerOptions options,
    TimeProvider time,
    ILogger<ClusterReconciler> logger)
{
    private readonly IKubernetesClient kube = kube;
    private readonly IPrimaryDatabases databases = databases;
    private readonly IClusterEvents events = events;
    private readonly IReplicationMetrics metrics = metrics;
    private readonly ReconcilerOptions options = options;
    private readonly TimeProvider time = time;
    private readonly ILogger<ClusterReconciler> logger = logger;

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
            return await FinalizeAsync(cluster, ct);
        }

        if (cluster.Metadata.Finalizers?.Contains(options.Finalizer) != true)
        {
            await AddFinalizerAsync(cluster, ct);
        }

        var pass = new Pass(cluster, this, ct);
        return await pass.RunAsync();
    }

    /// <summary>After the resource is gone from the API: close its connection pool and drop its metrics.</summary>
    public async Task DeletedAsync(PostgresReplicaSet cluster)
    {
        await databases.ForgetAsync(Key(cluster));
        metrics.Forget(cluster.Metadata.Namespace ?? "", cluster.Metadata.Name ?? "");
    }

    /// <summary>
    /// Deletion: stop the standbys, wait until their pods are gone, drop their slots, then release the resource.
    /// The primary, PVCs and Services go by garbage collection through their ownerReferences.
    /// </summary>
    private async Task<TimeSpan?> FinalizeAsync(PostgresReplicaSet cluster, CancellationToken ct)
    {
        if (cluster.Metadata.Finalizers?.Contains(options.Finalizer) != true) return null;
        var names = new ClusterNames(cluster.Metadata.Name!);
        var inventory = await ListAsync(cluster, names, ct);
        var primaryOrdinal = inventory.PrimaryOrdinal(cluster.Status);
        var standbyPods = inventory.Pods.Where(p => p.Key != primaryOrdinal).ToList();
        foreach (var (_, pod) in standbyPods.Where(p => p.Value.Metadata.DeletionTimestamp is null))
        {
            await DeleteAsync<Pod>(pod.Metadata.Name!, cluster, ct);
        }

        if (standbyPods.Count > 0) return options.WaitInterval;

        var database = await ConnectAsync(cluster, names, inventory, primaryOrdinal, ct);
        if (database is not null)
        {
            var slots = await database.Slots.ListAsync(ct);
            foreach (var ordinal in inventory.SlotOrdinals(slots).OrderDescending())
            {
                var dropped = await database.Slots.DropAsync(names.Slot(ordinal), ct);
                if (dropped.Outcome == SlotDropOutcome.Active) return options.WaitInterval;
                if (dropped.Outcome == SlotDropOutcome.Dropped)
                    await events.RecordAsync(cluster, ClusterEvent.Info("SlotDropped", $"dropped replication slot {names.Slot(ordinal)}"), ct);
            }
        }

        // An unreachable primary is being deleted too: its slots go with its volume.
        await RemoveFinalizerAsync(cluster, ct);
        return null;
    }

    private async Task AddFinalizerAsync(PostgresReplicaSet cluster, CancellationToken ct)
    {
        var current = cluster.Metadata.Finalizers;
        var patch = new JsonPatch();
        if (current is null)
        {
            patch.Add("/metadata/finalizers", new JsonArray(options.Finalizer));
        }
        else
        {
            // The test op makes a concurrent writer's change fail the patch (422) instead of being lost.
            patch.Test("/metadata/finalizers", new JsonArray([.. current.Select(f => (JsonNode)f)]));
            patch.Add("/metadata/finalizers/-", options.Finalizer);
        }

        var updated = await kube.PatchAsync<PostgresReplicaSet>(cluster.Metadata.Name!, cluster.Metadata.Namespace, KubernetesPatch.Json(patch), ct);
        cluster.Metadata.Finalizers = updated.Metadata.Finalizers;
        cluster.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }

    private async Task RemoveFinalizerAsync(PostgresReplicaSet cluster, CancellationToken ct)
    {
        var current = cluster.Metadata.Finalizers ?? [];
        var index = current.IndexOf(options.Finalizer);
        if (index < 0) return;
        var patch = new JsonPatch()
            .Test("/metadata/finalizers", new JsonArray([.. current.Select(f => (JsonNode)f)]))
            .Remove($"/metadata/finalizers/{index}");
        try
        {
            await kube.PatchAsync<PostgresReplicaSet>(cluster.Metadata.Name!, cluster.Metadata.Namespace, KubernetesPatch.Json(patch), ct);
        }
        catch (KubernetesException e) when (e.IsNotFound)
        {
            // Already gone.
        }
    }

    private async Task<ClusterInventory> ListAsync(PostgresReplicaSet cluster, ClusterNames names, CancellationToken ct)
    {
        var selector = new ListOptions { LabelSelector = names.ClusterSelector };
        var ns = cluster.Metadata.Namespace;
        var pods = await kube.ListAsync<Pod>(ns, selector, ct);
        var claims = await kube.ListAsync<PersistentVolumeClaim>(ns, selector, ct);
        var services = await kube.ListAsync<Service>(ns, selector, ct);
        return new ClusterInventory(cluster, pods.Items, claims.Items, services.Items);
    }

    /// <summary>The primary's database when its pod is ready and it answers as a primary; otherwise null.</summary>
    private async Task<IPrimaryDatabase?> ConnectAsync(PostgresReplicaSet cluster, ClusterNames names, ClusterInventory inventory, int primaryOrdinal, CancellationToken ct)
    {
        if (!inventory.Pods.TryGetValue(primaryOrdinal, out var pod) || pod.Status?.PodIP is not { Length: > 0 } ip) return null;
        var secret = await kube.GetAsync<Secret>(names.ReplicationSecret, cluster.Metadata.Namespace, ct);
        var password = secret is null ? null : SecretBuilder.Read(secret, SecretBuilder.SuperuserPasswordKey);
        if (password is null) return null;
        var database = databases.For(Key(cluster), new PostgresEndpoint(ip, PostgresEndpoint.DefaultPort, PgHba.Superuser, password));
        return await database.AcceptsConnectionsAsync(ct) ? database : null;
    }

    private async Task<T?> CreateAsync<T>(T desired, CancellationToken ct, List<string>? problems = null)
        where T : class, IKubernetesObject
    {
        try
        {
            return await kube.CreateAsync(desired, ct);
        }
        catch (KubernetesException e) when (e.IsAlreadyExists)
        {
            // Made by an earlier pass whose list we did not see, or by someone else: not ours to replace.
            return null;
        }
        catch (KubernetesException e) when (e.IsInvalid && problems is not null)
        {
            // The spec produced an object the API refuses (say, a storage size it cannot parse): report it, keep going.
            problems.Add($"{desired.Kind} {desired.Metadata.Name} was refused: {e.Status.Message ?? e.Message}");
            return null;
        }
    }

    private async Task DeleteAsync<T>(string name, PostgresReplicaSet cluster, CancellationToken ct)
        where T : class, IKubernetesObject
    {
        try
        {
            await kube.DeleteAsync<T>(name, cluster.Metadata.Namespace, new DeleteOptions { PropagationPolicy = "Background" }, ct);
        }
        catch (KubernetesException e) when (e.IsNotFound)
        {
            // Already gone.
        }
    }

    private static string Key(PostgresReplicaSet cluster) => $"{cluster.Metadata.Namespace}/{cluster.Metadata.Name}";

    /// <summary>The state of one pass: what was listed, what must still be done.</summary>
    private sealed class Pass(PostgresReplicaSet cluster, ClusterReconciler owner, CancellationToken ct)
    {
        private readonly ClusterNames names = new(cluster.Metadata.Name!);
        private readonly List<string> problems = [];
        private readonly List<ClusterEvent> stepEvents = [];

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

            var inventory = await owner.ListAsync(cluster, names, ct);
            var primaryOrdinal = inventory.PrimaryOrdinal(cluster.Status);

            // Secret: made once; an existing one is never replaced, or data made with its passwords would be locked out.
            var secret = await owner.kube.GetAsync<Secret>(names.ReplicationSecret, cluster.Metadata.Namespace, ct);
            if (secret is null && await owner.CreateAsync(SecretBuilder.Build(cluster), ct, problems) is not null)
            {
                stepEvents.Add(ClusterEvent.Info("SecretCreated", $"created Secret {names.ReplicationSecret} with generated passwords"));
            }

            // Primary: PVC, Pod, -rw Service.
            await EnsureClaimAsync(inventory, primaryOrdinal);
            if (!inventory.Pods.ContainsKey(primaryOrdinal) && await owner.CreateAsync(InstancePodBuilder.Primary(cluster, primaryOrdinal, parameters), ct, problems) is not null)
            {
                stepEvents.Add(ClusterEvent.Info("PrimaryCreated", $"created primary pod {names.Pod(primaryOrdinal)}"));
            }

            await EnsureServiceAsync(inventory, ServiceBuilder.ReadWrite(cluster));

            var database = await owner.ConnectAsync(cluster, names, inventory, primaryOrdinal, ct);
            if (database is null)
            {
                // A primary that is down and was built from an older spec (say, a bad setting since fixed) is rebuilt
                // with the current one; it serves nobody, and waiting would never end.
                if (inventory.Pods.TryGetValue(primaryOrdinal, out var down) && down.Metadata.DeletionTimestamp is null
                    && !StandbyStateRules.PodReady(down) && InstancePodBuilder.ConfigHashOf(down) != InstancePodBuilder.ConfigHash(cluster, parameters))
                {
                    await owner.DeleteAsync<Pod>(down.Metadata.Name!, cluster, ct);
                    stepEvents.Add(ClusterEvent.Info("PrimaryRestarted", $"recreating primary pod {down.Metadata.Name} with the current settings"));
                }

                // Waiting for the primary is not an error: report it and look again soon.
                await FinishAsync(inventory, primaryOrdinal, null, [], [], primaryUp: false);
                return owner.options.WaitInterval;
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

            foreach (var ordinal in plan.Wanted)
            {
                await EnsureStandbyAsync(database, inventory, ordinal, parameters);
            }

            var mustWait = false;
            foreach (var ordinal in plan.ToRemove)
            {
                if (!await RemoveStandbyAsync(database, inventory, ordinal))
                {
                    mustWait = true;
                    break;
                }
            }

            await EnsureServiceAsync(inventory, ServiceBuilder.ReadOnly(cluster));

            var observation = await database.Replication.ObserveAsync(ct);
            if (!mustWait && scalable && await RollOutAsync(inventory, primaryOrdinal, plan.Wanted, parameters, observation))
            {
                mustWait = true;
            }

            await FinishAsync(inventory, primaryOrdinal, observation, plan.Wanted, plan.ToRemove, primaryUp: true);
            return mustWait ? owner.options.WaitInterval : owner.options.ObserveInterval;
        }

        /// <summary>
        /// Pods built from an older spec (image, resources, settings) are recreated one at a time on their own
        /// volume: first standbys that are down anyway, then streaming standbys while all others stream, then the
        /// primary once every standby streams. Returns true when it restarted something (the pass then waits).
        /// </summary>
        private async Task<bool> RollOutAsync(ClusterInventory inventory, int primaryOrdinal, IReadOnlyList<int> wanted, PostgresParameters parameters, ReplicationObservation observation)
        {
            if (inventory.Pods.Values.Any(p => p.Metadata.DeletionTimestamp is not null)) return true;
            var desired = InstancePodBuilder.ConfigHash(cluster, parameters);
            bool Stale(int ordinal) => inventory.Pods.TryGetValue(ordinal, out var pod) && InstancePodBuilder.ConfigHashOf(pod) != desired;
            bool Streaming(int ordinal) => observation.ForSlot(names.Slot(ordinal)) is { WalSenderPid: not null, State: "streaming" };

            var target = wanted.Where(o => Stale(o) && !Streaming(o)).Order().Cast<int?>().FirstOrDefault();
            if (target is null && wanted.All(o => inventory.Pods.ContainsKey(o) && Streaming(o)))
            {
                target = wanted.Where(Stale).Order().Cast<int?>().FirstOrDefault()
                    ?? (Stale(primaryOrdinal) ? primaryOrdinal : null);
            }

            if (target is not { } ordinal) return false;
            await owner.DeleteAsync<Pod>(names.Pod(ordinal), cluster, ct);
            var role = ordinal == primaryOrdinal ? "Primary" : "Standby";
            stepEvents.Add(ClusterEvent.Info($"{role}Restarted", $"recreating {role.ToLowerInvariant()} pod {names.Pod(ordinal)} on its volume to apply the current spec"));
            return true;
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
            if (!inventory.Pods.ContainsKey(ordinal) && await owner.CreateAsync(InstancePodBuilder.Standby(cluster, ordinal, parameters), ct, problems) is not null)
            {
                stepEvents.Add(ClusterEvent.Info("StandbyCreated", $"created standby pod {names.Pod(ordinal)} streaming through slot {slot}"));
            }

            if (!inventory.Services.ContainsKey(ordinal))
            {
                await owner.CreateAsync(ServiceBuilder.Instance(cluster, ordinal), ct, problems);
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
                if (pod.Metadata.DeletionTimestamp is null) await owner.DeleteAsync<Pod>(pod.Metadata.Name!, cluster, ct);
                return false;
            }

            var slot = names.Slot(ordinal);
            var dropped = await database.Slots.DropAsync(slot, ct);
            switch (dropped.Outcome)
            {
                case SlotDropOutcome.Active:
                    owner.logger.LogInformation("slot {Slot} is still used by walsender {Pid}; waiting before dropping it", slot, dropped.ActivePid);
                    return false;
                case SlotDropOutcome.Dropped:
                    stepEvents.Add(ClusterEvent.Info("SlotDropped", $"dropped replication slot {slot}"));
                    break;
            }

            if (inventory.Claims.TryGetValue(ordinal, out var claim)) await owner.DeleteAsync<PersistentVolumeClaim>(claim.Metadata.Name!, cluster, ct);
            if (inventory.Services.TryGetValue(ordinal, out var service)) await owner.DeleteAsync<Service>(service.Metadata.Name!, cluster, ct);
            stepEvents.Add(ClusterEvent.Info("ScaledDown", $"removed standby {names.Pod(ordinal)}, its slot, volume and Service"));
            return true;
        }

        private async Task EnsureClaimAsync(ClusterInventory inventory, int ordinal)
        {
            if (!inventory.Claims.ContainsKey(ordinal)) await owner.CreateAsync(ClaimBuilder.Build(cluster, ordinal), ct, problems);
        }

        private async Task EnsureServiceAsync(ClusterInventory inventory, Service desired)
        {
            if (!inventory.NamedServices.Contains(desired.Metadata.Name!)) await owner.CreateAsync(desired, ct, problems);
        }

        /// <summary>Status (written only when it changed, through the status subresource), Events, metrics.</summary>
        private async Task FinishAsync(ClusterInventory inventory, int primaryOrdinal, ReplicationObservation? observation, IReadOnlyList<int> wanted, IReadOnlyList<int> removing, bool primaryUp)
        {
            inventory.Pods.TryGetValue(primaryOrdinal, out var primaryPod);
            var standbyPods = inventory.Pods.Where(p => p.Key != primaryOrdinal).ToDictionary();
            var wantedForStatus = primaryUp ? wanted : PlannedWithoutPrimary(inventory, primaryOrdinal);
            var snapshot = new ClusterSnapshot(cluster, primaryOrdinal, primaryPod, primaryUp, observation, wantedForStatus, removing, standbyPods, problems);
            var previous = cluster.Status;
            var status = StatusBuilder.Build(snapshot, previous, owner.time.GetUtcNow());
            if (!StatusTransitions.Same(previous, status))
            {
                var patch = new JsonPatch().Add("/status", JsonSerializer.SerializeToNode(status, KubernetesJson.Options));
                var updated = await owner.kube.PatchStatusAsync<PostgresReplicaSet>(cluster.Metadata.Name!, cluster.Metadata.Namespace, KubernetesPatch.Json(patch), ct);
                cluster.Status = updated.Status ?? status;
            }

            foreach (var e in stepEvents.Concat(StatusTransitions.Between(previous, status)))
            {
                await owner.events.RecordAsync(cluster, e, ct);
            }

            if (observation is not null)
            {
                owner.metrics.Publish(cluster.Metadata.Namespace ?? "", cluster.Metadata.Name!, cluster.Spec.Replicas, status);
            }
        }

        // Without the primary the slots are unknown; report the standbys that have pods, up to the wanted count.
        private List<int> PlannedWithoutPrimary(ClusterInventory inventory, int primaryOrdinal) =>
            inventory.Pods.Keys.Where(o => o != primaryOrdinal).Order().Take(Math.Max(0, cluster.Spec.Replicas)).ToList();
    }
}
