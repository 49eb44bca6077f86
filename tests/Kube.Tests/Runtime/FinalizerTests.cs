using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public class FinalizerTests
{
    private const string Mine = "example.io/cleanup";

    [Fact]
    public void PatchesAreGuardedByTestOps()
    {
        var first = JsonNode.Parse(Finalizers.AddPatch(null, Mine, "41").ToJson())!.AsArray();
        Assert.Equal("""{"op":"test","path":"/metadata/resourceVersion","value":"41"}""", first[0]!.ToJsonString());
        Assert.Equal("add", (string?)first[1]!["op"]);

        var next = JsonNode.Parse(Finalizers.AddPatch(["other"], Mine, "41").ToJson())!.AsArray();
        Assert.Equal("""{"op":"test","path":"/metadata/finalizers","value":["other"]}""", next[0]!.ToJsonString());
        Assert.Equal("/metadata/finalizers/-", (string?)next[1]!["path"]);

        var remove = JsonNode.Parse(Finalizers.RemovePatch(["other", Mine], Mine)!.ToJson())!.AsArray();
        Assert.Equal("""{"op":"test","path":"/metadata/finalizers/1","value":"example.io/cleanup"}""", remove[0]!.ToJsonString());
        Assert.Equal("""{"op":"remove","path":"/metadata/finalizers/1"}""", remove[1]!.ToJsonString());
        Assert.Null(Finalizers.RemovePatch(["other"], Mine));
    }

    [Fact]
    public async Task AddRetriesWhenAConcurrentWriterChangedTheList()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var stale = await client.CreateAsync(Thing.Named("a"));
        var other = await client.GetAsync<Thing>("a");
        other!.Metadata.Finalizers = ["someone.else/keep"];
        await client.ReplaceAsync(other);

        var result = await Finalizers.AddAsync(client, stale, Mine);
        Assert.Equal(["someone.else/keep", Mine], result.Metadata.Finalizers);
        Assert.Equal(2, server.RequestsMatching("PATCH /apis/example.io/v1/namespaces/default/things/a").Count);

        // Already present: no request at all.
        var before = server.Requests.Count;
        await Finalizers.AddAsync(client, result, Mine);
        Assert.Equal(before, server.Requests.Count);
    }

    [Fact]
    public async Task RemoveRetriesWhenTheIndexMovedAndTheLastRemovalDeletes()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var t = Thing.Named("a");
        t.Metadata.Finalizers = ["someone.else/keep", Mine];
        var stale = await client.CreateAsync(t);
        var other = await client.GetAsync<Thing>("a");
        other!.Metadata.Finalizers = [Mine];
        await client.ReplaceAsync(other);

        var result = await Finalizers.RemoveAsync(client, stale, Mine);
        Assert.True(result!.Metadata.Finalizers is null or { Count: 0 });
        Assert.Equal(2, server.RequestsMatching("PATCH").Count);

        var u = Thing.Named("b");
        u.Metadata.Finalizers = [Mine];
        await client.CreateAsync(u);
        var deleting = (await client.DeleteAsync<Thing>("b")).Object!;
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        await Finalizers.RemoveAsync(client, deleting, Mine);
        Assert.Null(await client.GetAsync<Thing>("b"));
        Assert.Null(await Finalizers.RemoveAsync(client, deleting, Mine));
    }
}
