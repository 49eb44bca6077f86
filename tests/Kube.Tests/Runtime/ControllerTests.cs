using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public sealed class ControllerTests : IAsyncLifetime
{
    private readonly CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
    private readonly ConcurrentQueue<ReconcileReport> reports = new();
    private SandboxApi server = null!;
    private PgReplica.Kube.Client.KubernetesApiClient client = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        server = await SandboxApi.StartAsync();
        client = server.Client();
    }

    public async Task DisposeAsync()
    {
        await cts.CancelAsync();
        await running;
        client.Dispose();
        await server.DisposeAsync();
    }

    private Controller<Thing> Start(RecordingReconciler reconciler, Action<Controller<Thing>>? configure = null)
    {
        var controller = new Controller<Thing>(client, reconciler, new ControllerOptions
        {
            Namespace = "default",
            ResyncPeriod = null,
            Watcher = new WatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(50) },
        });
        controller.Owns<V1Pod>();
        configure?.Invoke(controller);
        controller.Reconciled += reports.Enqueue;
        running = controller.RunAsync(cts.Token);
        return controller;
    }

    [Fact]
    public async Task ReconcilesTheLatestObjectAndOwnedPodChangesEnqueueTheOwner()
    {
        var reconciler = new RecordingReconciler();
        var owner = await client.CreateAsync(Thing.Named("a"));
        Start(reconciler);
        await Eventually.TrueAsync(() => reconciler.Count("default/a") >= 1);

        var before = reconciler.Count("default/a");
        await client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "a-1", OwnerReferences = [OwnerMapping.ControllerReference(owner)] },
            Spec = new V1PodSpec(),
        });
        await Eventually.TrueAsync(() => reconciler.Count("default/a") > before, because: "an owned Pod's change enqueues its owner");

        await client.CreateAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "stray" }, Spec = new V1PodSpec() });
        owner.Spec.Note = "latest";
        owner = await client.ReplaceAsync(owner);
        await Eventually.TrueAsync(() => reconciler.LastSeen("default/a")?.Spec.Note == "latest");
        Assert.DoesNotContain(reconciler.Keys, k => k.Contains("stray", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OwnedKindsCanBeNarrowedByLabelSelector()
    {
        var reconciler = new RecordingReconciler();
        var owner = await client.CreateAsync(Thing.Named("a"));
        var controller = Start(reconciler, c => c.Owns<V1Service>("app=pg"));
        await Eventually.TrueAsync(() => reconciler.Count("default/a") >= 1);
        await client.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "a-rw", Labels = new Dictionary<string, string> { ["app"] = "pg" }, OwnerReferences = [OwnerMapping.ControllerReference(owner)] },
            Spec = new V1ServiceSpec { Ports = [new() { Port = 5432, TargetPort = "postgres" }] },
        });
        await Eventually.TrueAsync(() => controller.StoreOf<V1Service>().Count == 1);
        Assert.Contains(server.Requests, r => r.StartsWith("GET /api/v1/namespaces/default/services?", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("labelSelector=app%3Dpg", StringComparison.Ordinal));
        Assert.Equal("postgres", controller.StoreOf<V1Service>().List()[0].Spec!.Ports![0].TargetPort!.Value);
    }

    [Fact]
    public async Task FailedReconcilesAreRetriedWithBackOffThenSucceed()
    {
        var reconciler = new RecordingReconciler { FailuresBeforeSuccess = 3 };
        await client.CreateAsync(Thing.Named("a"));
        var controller = Start(reconciler);
        await Eventually.TrueAsync(() => reports.Any(r => r.Outcome == ReconcileOutcome.Success));
        var outcomes = reports.Where(r => r.Key.Name == "a").Select(r => r.Outcome).ToList();
        Assert.Equal([ReconcileOutcome.Error, ReconcileOutcome.Error, ReconcileOutcome.Error, ReconcileOutcome.Success], outcomes.Take(4));
        Assert.All(reports.Where(r => r.Outcome == ReconcileOutcome.Error), r => Assert.IsType<InvalidOperationException>(r.Error));
        Assert.Equal(0, controller.Queue.NumRequeues(new ObjectRef("default", "a")));
    }

    [Fact]
    public async Task RequeueAfterRunsAgainWithoutAnyChange()
    {
        var reconciler = new RecordingReconciler { RequeueAfter = TimeSpan.FromMilliseconds(50) };
        await client.CreateAsync(Thing.Named("a"));
        Start(reconciler);
        await Eventually.TrueAsync(() => reconciler.Count("default/a") >= 3);
        Assert.Contains(reports, r => r.Outcome == ReconcileOutcome.Requeue);
    }

    [Fact]
    public async Task DeletionCallsDeletedAsyncWithTheLastState()
    {
        var reconciler = new RecordingReconciler();
        var a = await client.CreateAsync(Thing.Named("a"));
        Start(reconciler);
        await Eventually.TrueAsync(() => reconciler.Count("default/a") >= 1);
        await client.DeleteAsync<Thing>("a");
        await Eventually.TrueAsync(() => reconciler.Deleted.Contains("default/a"));
        Assert.Contains(reports, r => r.Outcome == ReconcileOutcome.Deleted);
    }

    [Fact]
    public async Task ADeletionMissedDuringAWatchOutageIsFoundByTheRelist()
    {
        var reconciler = new RecordingReconciler();
        await client.CreateAsync(Thing.Named("a"));
        await client.CreateAsync(Thing.Named("b"));
        Start(reconciler);
        await Eventually.TrueAsync(() => reconciler.Count("default/a") >= 1 && reconciler.Count("default/b") >= 1);
        await Eventually.TrueAsync(() => server.RequestsMatching("/things?").Count(r => r.Contains("watch=true", StringComparison.Ordinal)) >= 1 && server.OpenWatches >= 2);

        server.Fault = r => r.Query["watch"] == "true" && r.Path.EndsWith("/things", StringComparison.Ordinal) ? (500, "InternalError") : null;
        server.DropWatches();
        await client.DeleteAsync<Thing>("b");
        server.CompactedBelow = server.ResourceVersion;
        server.Fault = null;

        await Eventually.TrueAsync(() => reconciler.Deleted.Contains("default/b"), because: "the relist shows b is gone though no DELETED event arrived");
        Assert.DoesNotContain("default/a", reconciler.Deleted);
    }

    [Fact]
    public async Task SameKeyIsNeverReconciledConcurrently()
    {
        var reconciler = new RecordingReconciler { Delay = TimeSpan.FromMilliseconds(30) };
        var a = await client.CreateAsync(Thing.Named("a"));
        Start(reconciler);
        for (var i = 0; i < 15; i++)
        {
            a.Spec.Note = $"n{i}";
            a = await client.ReplaceAsync(a);
        }

        await Eventually.TrueAsync(() => reconciler.LastSeen("default/a")?.Spec.Note == "n14");
        Assert.Equal(1, reconciler.MaxConcurrentSameKey);
    }

    [Fact]
    public async Task RunsAgainAfterAStopWithFreshCaches()
    {
        var reconciler = new RecordingReconciler();
        await client.CreateAsync(Thing.Named("a"));
        var controller = new Controller<Thing>(client, reconciler, new ControllerOptions { Namespace = "default", ResyncPeriod = null });
        using (var firstTerm = new CancellationTokenSource())
        {
            var first = controller.RunAsync(firstTerm.Token);
            await Eventually.TrueAsync(() => reconciler.Count("default/a") == 1);
            await firstTerm.CancelAsync();
            await first;
        }

        await client.CreateAsync(Thing.Named("b"));
        running = controller.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => reconciler.Count("default/b") == 1 && reconciler.Count("default/a") == 2);
        Assert.Equal(2, controller.Store.Count);
    }

    [Fact]
    public async Task ResyncRequeuesEveryCachedEntity()
    {
        var reconciler = new RecordingReconciler();
        await client.CreateAsync(Thing.Named("a"));
        var controller = new Controller<Thing>(client, reconciler, new ControllerOptions { Namespace = "default", ResyncPeriod = TimeSpan.FromMilliseconds(100) });
        running = controller.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => reconciler.Count("default/a") >= 3, because: "resync enqueues unchanged objects");
    }

    private sealed class RecordingReconciler : IEntityController<Thing>
    {
        private readonly ConcurrentDictionary<string, int> counts = new();
        private readonly ConcurrentDictionary<string, Thing> last = new();
        private readonly ConcurrentDictionary<string, int> active = new();
        private int failures;
        private int maxConcurrent;

        public int FailuresBeforeSuccess { get; init; }

        public TimeSpan? RequeueAfter { get; init; }

        public TimeSpan Delay { get; init; }

        public ConcurrentBag<string> Deleted { get; } = [];

        public IEnumerable<string> Keys => counts.Keys;

        public int MaxConcurrentSameKey => maxConcurrent;

        public int Count(string key) => counts.GetValueOrDefault(key);

        public Thing? LastSeen(string key) => last.GetValueOrDefault(key);

        public async Task<ReconcileResult> ReconcileAsync(Thing entity, CancellationToken ct)
        {
            var key = ObjectRef.From(entity).ToString();
            var now = active.AddOrUpdate(key, 1, (_, n) => n + 1);
            InterlockedMax(now);
            try
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, ct);
                }

                last[key] = entity;
                counts.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (Interlocked.Increment(ref failures) <= FailuresBeforeSuccess)
                {
                    throw new InvalidOperationException("transient");
                }

                return RequeueAfter is { } after ? ReconcileResult.Requeue(after) : ReconcileResult.Done;
            }
            finally
            {
                active.AddOrUpdate(key, 0, (_, n) => n - 1);
            }
        }

        public Task DeletedAsync(Thing entity, CancellationToken ct)
        {
            Deleted.Add(ObjectRef.From(entity).ToString());
            return Task.CompletedTask;
        }

        private void InterlockedMax(int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref maxConcurrent)) && Interlocked.CompareExchange(ref maxConcurrent, value, seen) != seen)
            {
            }
        }
    }
}
