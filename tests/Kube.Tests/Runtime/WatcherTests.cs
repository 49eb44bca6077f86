using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public sealed class WatcherTests : IAsyncLifetime
{
    private SandboxApi server = null!;
    private PgReplica.Kube.Client.KubernetesApiClient client = null!;
    private readonly CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));
    private readonly List<WatcherEvent<Thing>> events = [];
    private readonly Lock gate = new();
    private Watcher<Thing> watcher = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        server = await SandboxApi.StartAsync();
        client = server.Client();
    }

    public async Task DisposeAsync()
    {
        await cts.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        client.Dispose();
        await server.DisposeAsync();
    }

    private void Start(WatcherOptions? options = null)
    {
        watcher = new Watcher<Thing>(client, options ?? new WatcherOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(50), WatchTimeoutSeconds = 30 });
        running = Task.Run(async () =>
        {
            await foreach (var e in watcher.RunAsync(cts.Token))
            {
                lock (gate)
                {
                    events.Add(e);
                }
            }
        });
    }

    private List<(WatcherEventType, string?)> Seen()
    {
        lock (gate)
        {
            return events.Select(e => (e.Type, e.Object?.Metadata.Name)).ToList();
        }
    }

    private List<string> WatchRequests() => server.RequestsMatching("watch=true");

    [Fact]
    public async Task ListsThenWatchesFromTheListResourceVersion()
    {
        await client.CreateAsync(Thing.Named("a"));
        await client.CreateAsync(Thing.Named("b"));
        var listRv = server.ResourceVersion;
        Start();
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
        await client.CreateAsync(Thing.Named("c"));
        await client.DeleteAsync<Thing>("a");
        await Eventually.TrueAsync(() => Seen().Contains((WatcherEventType.Delete, "a")));

        var seen = Seen();
        Assert.Equal((WatcherEventType.InitStarted, null), seen[0]);
        Assert.Equal(["a", "b"], seen.Skip(1).Take(2).Select(s => s.Item2!).Order());
        Assert.All(seen.Skip(1).Take(2), s => Assert.Equal(WatcherEventType.InitApply, s.Item1));
        Assert.Equal((WatcherEventType.InitDone, null), seen[3]);
        Assert.Equal([(WatcherEventType.Apply, "c"), (WatcherEventType.Delete, "a")], seen.Skip(4));
        Assert.Contains($"resourceVersion={listRv}", Assert.Single(WatchRequests()));
        Assert.Contains("allowWatchBookmarks=true", WatchRequests()[0]);
    }

    [Fact]
    public async Task DroppedConnectionResumesFromLastSeenResourceVersionWithoutRelisting()
    {
        Start();
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
        var a = await client.CreateAsync(Thing.Named("a"));
        await Eventually.TrueAsync(() => Seen().Contains((WatcherEventType.Apply, "a")));

        // Keep the watch down while b is written, so only a resume from a's RV can deliver it.
        server.Fault = r => r.Query["watch"] == "true" ? (500, "InternalError") : null;
        server.DropWatches();
        await Eventually.TrueAsync(() => server.OpenWatches == 0);
        await client.CreateAsync(Thing.Named("b"));
        server.Fault = null;

        await Eventually.TrueAsync(() => Seen().Contains((WatcherEventType.Apply, "b")));
        Assert.Equal(1, watcher.ListCount);
        Assert.Contains(WatchRequests(), r => r.Contains($"resourceVersion={a.Metadata.ResourceVersion}&", StringComparison.Ordinal));
        Assert.Single(Seen(), s => s.Item1 == WatcherEventType.InitStarted);
    }

    [Fact]
    public async Task ExpiredResourceVersionInStreamTriggersRelist()
    {
        await client.CreateAsync(Thing.Named("a"));
        Start();
        await Eventually.TrueAsync(() => server.OpenWatches == 1);

        server.Fault = r => r.Query["watch"] == "true" ? (500, "InternalError") : null;
        server.DropWatches();
        await Eventually.TrueAsync(() => server.OpenWatches == 0);
        await client.CreateAsync(Thing.Named("b"));
        server.CompactedBelow = server.ResourceVersion; // the watcher's RV (before b) is now too old; the relist RV is not
        server.Fault = null;

        await Eventually.TrueAsync(() => watcher.ListCount == 2);
        await Eventually.TrueAsync(() => Seen().Count(s => s.Item1 == WatcherEventType.InitDone) == 2);
        var afterRelist = Seen().SkipWhile(s => s.Item1 != WatcherEventType.InitDone).Skip(1).ToList();
        Assert.Equal(WatcherEventType.InitStarted, afterRelist[0].Item1);
        Assert.Equal(["a", "b"], afterRelist.Where(s => s.Item1 == WatcherEventType.InitApply).Select(s => s.Item2!).Order());
    }

    [Fact]
    public async Task GoneAnswerToTheWatchRequestTriggersRelist()
    {
        Start();
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
        var answered = 0;
        server.Fault = r => r.Query["watch"] == "true" && Interlocked.Increment(ref answered) == 1 ? (410, "Gone") : null;
        server.DropWatches();
        await Eventually.TrueAsync(() => watcher.ListCount == 2);
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
    }

    [Fact]
    public async Task BookmarksAdvanceTheResumePointWithoutEvents()
    {
        Start();
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
        var before = Seen().Count;
        // Writes the watcher does not see (another namespace) move the cluster's resourceVersion; bookmarks carry it.
        await client.CreateAsync(Thing.Named("elsewhere", ns: "other"));
        var bookmarkRv = server.ResourceVersion;
        await Eventually.TrueAsync(() => watcher.LastResourceVersion == bookmarkRv.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(before, Seen().Count);

        server.DropWatches();
        await Eventually.TrueAsync(() => WatchRequests().Count == 2 && server.OpenWatches == 1);
        Assert.Contains($"resourceVersion={bookmarkRv}&", WatchRequests()[1]);
        Assert.Equal(1, watcher.ListCount);
    }

    [Fact]
    public async Task WatchesEndedByTheServerTimeoutAreReopenedFromTheSameResourceVersion()
    {
        Start(new WatcherOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(50), WatchTimeoutSeconds = 1 });
        await Eventually.TrueAsync(() => WatchRequests().Count >= 3);
        Assert.Equal(1, watcher.ListCount);
        Assert.Single(WatchRequests().Select(r => r.Split("resourceVersion=")[1]).Distinct());
        await client.CreateAsync(Thing.Named("late"));
        await Eventually.TrueAsync(() => Seen().Contains((WatcherEventType.Apply, "late")));
    }

    [Fact]
    public async Task StoreSwapsInTheRelistSoObjectsDeletedDuringAnOutageDisappear()
    {
        await client.CreateAsync(Thing.Named("a"));
        await client.CreateAsync(Thing.Named("b"));
        var store = new Store<Thing>();
        watcher = new Watcher<Thing>(client, new WatcherOptions { Namespace = "default", InitialBackoff = TimeSpan.FromMilliseconds(50) });
        running = Task.Run(async () =>
        {
            await foreach (var _ in watcher.RunAsync(cts.Token).Reflect(store))
            {
            }
        });
        await store.Ready.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, store.Count);
        await Eventually.TrueAsync(() => server.OpenWatches == 1);

        server.Fault = r => r.Query["watch"] == "true" ? (500, "InternalError") : null;
        server.DropWatches();
        await Eventually.TrueAsync(() => server.OpenWatches == 0);
        await client.DeleteAsync<Thing>("b");
        server.CompactedBelow = server.ResourceVersion;
        server.Fault = null;

        await Eventually.TrueAsync(() => watcher.ListCount == 2 && store.Count == 1);
        Assert.NotNull(store.Get(new ObjectRef("default", "a")));
        Assert.Null(store.Get(new ObjectRef("default", "b")));
    }
}
