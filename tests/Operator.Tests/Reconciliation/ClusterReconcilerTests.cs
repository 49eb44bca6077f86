using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Operator.Status;
using PgReplica.Operator.Tests.Reconciliation.Fakes;

namespace PgReplica.Operator.Tests.Reconciliation;

public sealed class ClusterReconcilerTests
{
    [Fact]
    public async Task First_pass_makes_the_primary_and_waits_for_it_without_touching_standbys()
    {
        var sim = new SimulatedCluster();
        var next = await sim.PassAsync();

        Assert.Equal(new ReconcilerOptions().WaitInterval, next);
        Assert.Contains(PgReplica.Entities.Naming.Labels.Finalizer, sim.Resource!.Metadata.Finalizers!);
        Assert.Equal(["orders-1"], sim.Names_<V1Pod>());
        Assert.Equal(["orders-1-data"], sim.Names_<V1PersistentVolumeClaim>());
        Assert.Equal(["orders-rw"], sim.Names_<V1Service>());
        Assert.Equal(["orders-replication"], sim.Names_<V1Secret>());
        Assert.Empty(sim.SlotNames);
        Assert.Equal(Phases.Initializing, sim.Resource.Status!.Phase);
        Assert.Equal("primary", sim.Kube.All<V1Pod>().Single().Metadata.Labels![PgReplica.Entities.Naming.Labels.Role]);
    }

    [Fact]
    public async Task No_standby_is_created_while_the_primary_answers_but_its_pod_is_not_ready()
    {
        var sim = new SimulatedCluster();
        await sim.PassAsync();
        // postgres answers on the pod IP, but the readiness probe has not passed: the -rw Service has no endpoint yet.
        sim.Kube.Mutate<V1Pod>(SimulatedCluster.Namespace, "orders-1", p => p.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "10.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }],
        });
        sim.Database.Up = true;

        var next = await sim.PassAsync();

        Assert.Equal(new ReconcilerOptions().WaitInterval, next);
        Assert.Equal(["orders-1"], sim.Names_<V1Pod>());
        Assert.Empty(sim.SlotNames);

        sim.Kube.Mutate<V1Pod>(SimulatedCluster.Namespace, "orders-1", p => p.Status!.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }]);
        await sim.ConvergeAsync();

        Assert.Equal(["orders-1", "orders-2", "orders-3"], sim.Names_<V1Pod>());
        Assert.Equal(["orders_2", "orders_3"], sim.SlotNames);
    }

    [Fact]
    public async Task A_new_cluster_converges_to_a_primary_and_two_streaming_standbys()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();

        Assert.Equal(["orders-1", "orders-2", "orders-3"], sim.Names_<V1Pod>());
        Assert.Equal(["orders-1-data", "orders-2-data", "orders-3-data"], sim.Names_<V1PersistentVolumeClaim>());
        Assert.Equal(["orders-2", "orders-3", "orders-ro", "orders-rw"], sim.Names_<V1Service>());
        Assert.Equal(["orders_2", "orders_3"], sim.SlotNames);
        var status = sim.Resource!.Status!;
        Assert.Equal(Phases.Ready, status.Phase);
        Assert.Equal(2, status.ReadyReplicas);
        Assert.Equal(2, status.Replicas);
        Assert.All(status.Standbys!, s => Assert.Equal("streaming", s.State));
        Assert.Equal("10.0.0.1", sim.Database.LastEndpoint!.Host);
        Assert.Equal("postgres", sim.Database.LastEndpoint.Username);
        Assert.Equal(SecretBuilder.Read(sim.Kube.All<V1Secret>().Single(), SecretBuilder.SuperuserPasswordKey), sim.Database.LastEndpoint.Password);
        foreach (var reason in new[] { "SecretCreated", "PrimaryCreated", "ClusterReady" }) Assert.Equal(1, sim.Events.Count(reason));
        Assert.Equal(2, sim.Events.Count("SlotCreated"));
        Assert.Equal(2, sim.Events.Count("StandbyCreated"));
        Assert.Equal(2, sim.Events.Count("StandbyStreaming"));
    }

    [Fact]
    public async Task A_steady_cluster_pass_writes_nothing()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        var log = sim.Kube.Log.Count;
        var mutations = sim.Crash.Mutations;

        var next = await sim.PassAsync();

        Assert.Equal(new ReconcilerOptions().ObserveInterval, next);
        Assert.Equal(log, sim.Kube.Log.Count);
        Assert.Equal(mutations, sim.Crash.Mutations);
    }

    [Fact]
    public async Task Scaling_2_to_3_to_1_leaves_exactly_the_wanted_standbys_and_slots()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        sim.Scale(3);
        await sim.ConvergeAsync();
        Assert.Equal(["orders-1", "orders-2", "orders-3", "orders-4"], sim.Names_<V1Pod>());
        Assert.Equal(["orders_2", "orders_3", "orders_4"], sim.SlotNames);

        sim.Scale(1);
        await sim.ConvergeAsync();

        Assert.Equal(["orders-1", "orders-2"], sim.Names_<V1Pod>());
        Assert.Equal(["orders_2"], sim.SlotNames);
        Assert.Equal(["orders-1-data", "orders-2-data"], sim.Names_<V1PersistentVolumeClaim>());
        Assert.Equal(["orders-2", "orders-ro", "orders-rw"], sim.Names_<V1Service>());
        Assert.Empty(sim.Database.DropAttemptsWhileActive);
        Assert.Equal(2, sim.Events.Count("ScaledDown"));
        Assert.Equal(2, sim.Events.Count("SlotDropped"));
        var deletes = sim.Kube.Log.Where(l => l.StartsWith("delete Pod", StringComparison.Ordinal)).ToList();
        Assert.Equal(["delete Pod orders-4", "delete Pod orders-3"], deletes); // highest ordinal first
        var status = sim.Resource!.Status!;
        Assert.Equal((Phases.Ready, 1, 1), (status.Phase, status.ReadyReplicas, status.Replicas));
        Assert.Equal(["orders-2"], status.Standbys!.Select(s => s.Name));
    }

    [Fact]
    public async Task A_slot_still_held_by_a_walsender_is_not_dropped_and_its_volume_is_kept_until_it_is_free()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        sim.Scale(1);
        await sim.PassAsync(); // deletes pod orders-3
        sim.Kube.FinishTerminations();
        sim.Database.Slots["orders_3"] = 4242; // a walsender lingers after the pod is gone

        var next = await sim.PassAsync();

        Assert.Equal(new ReconcilerOptions().WaitInterval, next);
        Assert.Contains("orders_3", sim.SlotNames);
        Assert.Contains("orders-3-data", sim.Names_<V1PersistentVolumeClaim>());
        Assert.Contains("orders_3", sim.Database.DropAttemptsWhileActive);

        sim.Database.Slots["orders_3"] = null;
        await sim.ConvergeAsync();
        Assert.Equal(["orders_2"], sim.SlotNames);
        Assert.DoesNotContain("orders-3-data", sim.Names_<V1PersistentVolumeClaim>());
    }

    [Fact]
    public async Task A_deleted_standby_pod_comes_back_on_its_volume_and_slot()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        var claimUid = sim.Kube.All<V1PersistentVolumeClaim>().Single(c => c.Metadata.Name == "orders-3-data").Metadata.Uid;
        await sim.Kube.DeleteAsync<V1Pod>("orders-3", SimulatedCluster.Namespace);
        sim.Kubelet();

        await sim.ConvergeAsync();

        Assert.Equal(["orders-1", "orders-2", "orders-3"], sim.Names_<V1Pod>());
        Assert.Equal(claimUid, sim.Kube.All<V1PersistentVolumeClaim>().Single(c => c.Metadata.Name == "orders-3-data").Metadata.Uid);
        Assert.Equal(2, sim.Events.Count("SlotCreated")); // no new slot
        Assert.Equal(3, sim.Events.Count("StandbyCreated"));
        Assert.Equal(Phases.Ready, sim.Resource!.Status!.Phase);
    }

    [Fact]
    public async Task An_existing_secret_is_never_regenerated()
    {
        var sim = new SimulatedCluster();
        await sim.PassAsync();
        var before = SecretBuilder.Read(sim.Kube.All<V1Secret>().Single(), SecretBuilder.ReplicationPasswordKey);
        await sim.ConvergeAsync();
        sim.Scale(3);
        await sim.ConvergeAsync();
        Assert.Equal(before, SecretBuilder.Read(sim.Kube.All<V1Secret>().Single(), SecretBuilder.ReplicationPasswordKey));
        Assert.Equal(1, sim.Events.Count("SecretCreated"));
    }

    [Fact]
    public async Task Invalid_input_is_reported_and_never_deletes_anything()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        sim.Kube.Mutate<PostgresReplicaSet>(SimulatedCluster.Namespace, "orders", c =>
        {
            c.Spec.Replicas = -5; // the schema forbids it; an old or unchecked object must still not scale to zero
            c.Spec.Postgresql.Parameters["wal_level"] = "minimal";
        });

        await sim.ConvergeAsync();

        Assert.Equal(["orders-1", "orders-2", "orders-3"], sim.Names_<V1Pod>());
        Assert.Equal(["orders_2", "orders_3"], sim.SlotNames);
        var invalid = ConditionList.Find(sim.Resource!.Status!.Conditions, StatusBuilder.SpecInvalid)!;
        Assert.Equal("True", invalid.Status);
        Assert.Contains("spec.replicas", invalid.Message);
        Assert.Contains("wal_level", invalid.Message);
        Assert.Equal(1, sim.Events.Count("InvalidSpec"));
    }

    [Fact]
    public async Task An_object_the_api_refuses_becomes_a_condition_not_a_crash_loop()
    {
        var sim = new SimulatedCluster();
        sim.Kube.Validate = o => o is V1PersistentVolumeClaim ? "spec.resources.requests.storage: Invalid value: quantities must match the regular expression" : null;

        await sim.PassAsync();

        var invalid = ConditionList.Find(sim.Resource!.Status!.Conditions, StatusBuilder.SpecInvalid)!;
        Assert.Equal("True", invalid.Status);
        Assert.Contains("PersistentVolumeClaim orders-1-data was refused", invalid.Message);
        Assert.Equal(1, sim.Events.Count("InvalidSpec"));
    }

    [Fact]
    public async Task Deleting_the_resource_stops_standbys_drops_their_slots_then_releases_it()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        await sim.Kube.DeleteAsync<PostgresReplicaSet>("orders", SimulatedCluster.Namespace);
        Assert.NotNull(sim.Resource); // held by the finalizer

        await sim.ConvergeAsync();

        Assert.Null(sim.Resource);
        Assert.Empty(sim.SlotNames);
        Assert.Equal(["orders-1"], sim.Names_<V1Pod>()); // the primary goes by garbage collection
        Assert.Empty(sim.Database.DropAttemptsWhileActive);
    }

    [Fact]
    public async Task New_settings_roll_out_one_pod_at_a_time_standbys_first_on_the_same_volumes()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        var claims = sim.Kube.All<V1PersistentVolumeClaim>().ToDictionary(c => c.Metadata.Name!, c => c.Metadata.Uid);
        sim.Kube.Mutate<PostgresReplicaSet>(SimulatedCluster.Namespace, "orders", c => c.Spec.Postgresql.Parameters["work_mem"] = "32MB");
        var changed = sim.Resource!;
        var desired = InstancePodBuilder.ConfigHash(changed, PostgresParameters.Merge(changed.Spec.Postgresql.Parameters, changed.Spec.Replication.MaxSlotWalKeepSize));
        Assert.All(sim.Kube.All<V1Pod>(), p => Assert.NotEqual(desired, InstancePodBuilder.ConfigHashOf(p)));

        await sim.ConvergeAsync();

        Assert.All(sim.Kube.All<V1Pod>(), p => Assert.Equal(desired, InstancePodBuilder.ConfigHashOf(p)));
        var deletes = sim.Kube.Log.Where(l => l.StartsWith("delete Pod", StringComparison.Ordinal)).ToList();
        Assert.Equal(["delete Pod orders-2", "delete Pod orders-3", "delete Pod orders-1"], deletes);
        Assert.Equal(claims, sim.Kube.All<V1PersistentVolumeClaim>().ToDictionary(c => c.Metadata.Name!, c => c.Metadata.Uid));
        Assert.Equal(["orders_2", "orders_3"], sim.SlotNames);
        Assert.Equal(Phases.Ready, sim.Resource!.Status!.Phase);
        Assert.Equal(2, sim.Events.Count("StandbyRestarted"));
        Assert.Equal(1, sim.Events.Count("PrimaryRestarted"));
    }

    [Fact]
    public async Task No_streaming_standby_is_restarted_while_another_is_down()
    {
        var sim = new SimulatedCluster();
        await sim.ConvergeAsync();
        sim.Kube.Mutate<PostgresReplicaSet>(SimulatedCluster.Namespace, "orders", c => c.Spec.Postgresql.Parameters["work_mem"] = "32MB");
        // orders-2 stops streaming (and is stale): it is restarted, but orders-3 waits until orders-2 streams again.
        sim.Database.Slots["orders_2"] = null;

        await sim.PassAsync();
        Assert.Equal(["delete Pod orders-2"], sim.Kube.Log.Where(l => l.StartsWith("delete Pod", StringComparison.Ordinal)));
        await sim.PassAsync();
        Assert.Single(sim.Kube.Log, l => l.StartsWith("delete Pod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Killed_between_any_two_calls_the_next_passes_converge_to_the_same_cluster()
    {
        // Reference: create with 2 standbys, then scale to 3, then to 1, without crashes.
        var reference = new SimulatedCluster();
        await RunScenarioAsync(reference);
        var total = reference.Crash.Mutations;
        Assert.True(total > 20);

        for (var crashAt = 1; crashAt <= total; crashAt++)
        {
            var sim = new SimulatedCluster();
            sim.Crash.CrashAt = crashAt;
            await RunScenarioAsync(sim);

            Assert.Equal(reference.Names_<V1Pod>(), sim.Names_<V1Pod>());
            Assert.Equal(reference.Names_<V1PersistentVolumeClaim>(), sim.Names_<V1PersistentVolumeClaim>());
            Assert.Equal(reference.Names_<V1Service>(), sim.Names_<V1Service>());
            Assert.Equal(reference.SlotNames, sim.SlotNames);
            Assert.Single(sim.Kube.All<V1Secret>());
            Assert.Equal(Phases.Ready, sim.Resource!.Status!.Phase);
            Assert.Empty(sim.Database.DropAttemptsWhileActive);
        }
    }

    private static async Task RunScenarioAsync(SimulatedCluster sim)
    {
        await sim.ConvergeAsync();
        sim.Scale(3);
        await sim.ConvergeAsync();
        sim.Scale(1);
        await sim.ConvergeAsync();
    }
}
