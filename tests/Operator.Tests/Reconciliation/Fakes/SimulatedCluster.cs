using Microsoft.Extensions.Logging.Abstractions;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Tests.Reconciliation.Fakes;

/// <summary>
/// The reconciler wired to the in-memory API server and primary, plus a tiny kubelet that starts pods,
/// finishes deletions and connects running standbys to their slots between passes.
/// </summary>
public sealed class SimulatedCluster
{
    public const string Namespace = "db";

    public SimulatedCluster(string name = "orders", int replicas = 2)
    {
        Name = name;
        Names = new ClusterNames(name);
        Kube = new FakeKubernetesClient(Crash);
        Database = new FakePrimaryDatabases(Crash);
        Reconciler = new ClusterReconciler(Kube, Kube, Database, Events, new NoReplicationMetrics(),
            new ReconcilerOptions(), TimeProvider.System, NullLogger<ClusterReconciler>.Instance);
        var cluster = TestClusters.Named(name, replicas, Namespace);
        cluster.Metadata.Uid = null;
        Kube.Put(cluster);
    }

    public string Name { get; }
    public ClusterNames Names { get; }
    public CrashSwitch Crash { get; } = new();
    public FakeKubernetesClient Kube { get; }
    public FakePrimaryDatabases Database { get; }
    public RecordingEvents Events { get; } = new();
    public ClusterReconciler Reconciler { get; }

    public PostgresReplicaSet? Resource => Kube.GetAsync<PostgresReplicaSet>(Name, Namespace).Result;

    /// <summary>One pass on the latest stored resource; a simulated crash ends it like a dead process would.</summary>
    public async Task<TimeSpan?> PassAsync()
    {
        var cluster = Resource;
        if (cluster is null) return null;
        try
        {
            return await Reconciler.ReconcileAsync(cluster, CancellationToken.None);
        }
        catch (CrashSwitch.Crashed)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Alternates passes and kubelet steps until a pass changes nothing.</summary>
    public async Task ConvergeAsync(int maxPasses = 40)
    {
        for (var i = 0; i < maxPasses; i++)
        {
            var before = Crash.Mutations;
            var log = Kube.Log.Count;
            await PassAsync();
            var changed = Crash.Mutations != before || Kube.Log.Count != log;
            var kubeletChanged = Kubelet();
            if (!changed && !kubeletChanged) return;
        }

        throw new InvalidOperationException("did not converge: " + string.Join("\n", Kube.Log.TakeLast(20)));
    }

    public void Scale(int replicas) =>
        Kube.Mutate<PostgresReplicaSet>(Namespace, Name, c =>
        {
            c.Spec.Replicas = replicas;
            c.Metadata.Generation = (c.Metadata.Generation ?? 1) + 1;
        });

    /// <summary>Starts new pods (Ready, with an IP), removes terminated ones, and ties running standbys to their slots.</summary>
    public bool Kubelet()
    {
        var changed = false;
        var terminating = Kube.All<V1Pod>().Count(p => p.Metadata.DeletionTimestamp is not null);
        Kube.FinishTerminations();
        changed |= terminating > 0;
        var pods = Kube.All<V1Pod>().ToList();
        foreach (var pod in pods.Where(p => p.Status?.PodIP is null))
        {
            var ordinal = Names.OrdinalOf(pod.Metadata.Name!)!.Value;
            Kube.Mutate<V1Pod>(Namespace, pod.Metadata.Name!, p => p.Status = new V1PodStatus
            {
                Phase = "Running",
                PodIP = $"10.0.0.{ordinal}",
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            });
            changed = true;
        }

        var running = Kube.All<V1Pod>().ToList();
        var primaryUp = running.Any(p => p.Metadata.Labels?[Labels.Role] == Labels.PrimaryRole);
        changed |= Database.Up != primaryUp;
        Database.Up = primaryUp;
        foreach (var slot in Database.Slots.Keys.ToList())
        {
            var standby = running.FirstOrDefault(p => p.Metadata.Labels?[Labels.Role] == Labels.StandbyRole
                && Names.Slot(Names.OrdinalOf(p.Metadata.Name!)!.Value) == slot);
            int? pid = standby is null ? null : 1000 + Names.OrdinalOf(standby.Metadata.Name!)!.Value;
            if (Database.Slots[slot] != pid)
            {
                Database.Slots[slot] = pid;
                changed = true;
            }

            if (standby is not null) Database.ApplicationBySlot[slot] = standby.Metadata.Name!;
        }

        return changed;
    }

    public IReadOnlyList<string> Names_<T>() where T : class, IKubernetesObject<V1ObjectMeta> =>
        Kube.All<T>().Select(o => o.Metadata.Name!).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> SlotNames => Database.Slots.Keys.Order(StringComparer.Ordinal).ToList();
}

/// <summary>Collects the Events the reconciler emits.</summary>
public sealed class RecordingEvents : IClusterEvents
{
    public List<ClusterEvent> Recorded { get; } = [];

    public Task RecordAsync(PostgresReplicaSet cluster, ClusterEvent clusterEvent, CancellationToken cancellationToken)
    {
        Recorded.Add(clusterEvent);
        return Task.CompletedTask;
    }

    public int Count(string reason) => Recorded.Count(e => e.Reason == reason);
}
