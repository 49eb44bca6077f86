using k8s;
using PgReplica.Kube.Client;
using k8s.Models;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Client;

public class WatchTests
{
    [Fact]
    public async Task WatchStreamsEventsFromResourceVersion()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(Thing.Named("before"));
        var list = await client.ListAsync<Thing>("default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var seen = new List<(WatchEventType, string?)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in client.WatchAsync<Thing>("default", new() { ResourceVersion = list.Metadata.ResourceVersion, TimeoutSeconds = 20 }, cts.Token))
            {
                seen.Add((e.Type, e.Object?.Metadata.Name));
                if (e.Type == WatchEventType.Deleted)
                {
                    break;
                }
            }
        });
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
        var a = await client.CreateAsync(Thing.Named("a"));
        a.Spec.Note = "x";
        await client.ReplaceAsync(a);
        await client.DeleteAsync<Thing>("a");
        await watching;

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Modified, "a"), (WatchEventType.Deleted, "a")], seen);
        Assert.Contains(server.Requests, r => r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("allowWatchBookmarks=true", StringComparison.Ordinal)
            && r.Contains($"resourceVersion={list.Metadata.ResourceVersion}", StringComparison.Ordinal) && r.Contains("timeoutSeconds=20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredResourceVersionArrivesAsInStreamError()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        server.Store.AdvanceTo(server.ResourceVersion + 50);
        server.CompactedBelow = server.ResourceVersion;
        var events = new List<WatchEvent<Thing>>();
        await foreach (var e in client.WatchAsync<Thing>("default", new() { ResourceVersion = "2" }))
        {
            events.Add(e);
        }

        var error = Assert.Single(events);
        Assert.Equal(WatchEventType.Error, error.Type);
        Assert.Equal(410, error.Error!.Code);
        Assert.Equal("Expired", error.Error.Reason);
    }
}
