using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Tests.Api.TestObjects;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class DeletionTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        await _s.InstallThingsCrdAsync();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private async Task<bool> Gone(string url) => (await _s.GetAsync(url)).Code == 404;

    [Fact]
    public async Task DeleteWithoutFinalizersAnswersSuccessStatus()
    {
        var (_, created) = await _s.PostAsync(Things, Thing("plain"));
        var (code, status) = await _s.DeleteAsync($"{Things}/plain");
        Assert.Equal(200, code);
        Assert.Equal("Success", status!["status"]!.GetValue<string>());
        Assert.Equal(created!["metadata"]!["uid"]!.GetValue<string>(), status["details"]!["uid"]!.GetValue<string>());
        Assert.True(await Gone($"{Things}/plain"));
        Assert.Equal(404, (await _s.DeleteAsync($"{Things}/plain")).Code);
    }

    [Fact]
    public async Task FinalizersHoldTheObjectUntilTheLastIsRemoved()
    {
        var thing = Thing("held");
        thing["metadata"]!["finalizers"] = new JsonArray("example.com/a", "example.com/b");
        await _s.PostAsync(Things, thing);

        var (code, deleting) = await _s.DeleteAsync($"{Things}/held");
        Assert.Equal(200, code);
        Assert.Equal("Thing", deleting!["kind"]!.GetValue<string>());
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Equal(2, Generation(deleting));

        var withNew = (JsonObject)deleting.DeepClone();
        withNew["metadata"]!["finalizers"]!.AsArray().Add("example.com/c");
        var (forbidden, _) = await _s.PutAsync($"{Things}/held", withNew);
        Assert.Equal(422, forbidden);

        var (_, one) = await _s.MergePatchAsync($"{Things}/held", JsonNode.Parse("""{"metadata":{"finalizers":["example.com/b"]}}""")!);
        Assert.NotNull(one!["metadata"]!["deletionTimestamp"]);
        Assert.False(await Gone($"{Things}/held"));

        var (last, _) = await _s.SendAsync(HttpMethod.Patch, $"{Things}/held",
            JsonNode.Parse("""[{"op":"test","path":"/metadata/finalizers/0","value":"example.com/b"},{"op":"remove","path":"/metadata/finalizers/0"}]"""),
            "application/json-patch+json");
        Assert.Equal(200, last);
        Assert.True(await Gone($"{Things}/held"));
    }

    [Fact]
    public async Task BackgroundDeletionCollectsDependents()
    {
        var (_, owner) = await _s.PostAsync(Things, Thing("owner-bg"));
        await _s.PostAsync(ConfigMaps, ConfigMap("dep-bg", extraMeta: new JsonObject { ["ownerReferences"] = new JsonArray(OwnerRef(owner!)) }));
        await _s.PostAsync(ConfigMaps, ConfigMap("unrelated"));
        await _s.DeleteAsync($"{Things}/owner-bg", JsonNode.Parse("""{"propagationPolicy":"Background"}"""));
        await TestSandbox.Eventually(() => Gone($"{ConfigMaps}/dep-bg"), "dependent collected");
        Assert.False(await Gone($"{ConfigMaps}/unrelated"));
    }

    [Fact]
    public async Task ForegroundDeletionWaitsForBlockingDependents()
    {
        var (_, owner) = await _s.PostAsync(Things, Thing("owner-fg"));
        var dep = ConfigMap("dep-fg", extraMeta: new JsonObject
        {
            ["ownerReferences"] = new JsonArray(OwnerRef(owner!, block: true)),
            ["finalizers"] = new JsonArray("example.com/slow"),
        });
        await _s.PostAsync(ConfigMaps, dep);

        var (code, deleting) = await _s.DeleteAsync($"{Things}/owner-fg", JsonNode.Parse("""{"propagationPolicy":"Foreground"}"""));
        Assert.Equal(200, code);
        Assert.Contains("foregroundDeletion", deleting!["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        await TestSandbox.Eventually(async () => (await _s.GetAsync($"{ConfigMaps}/dep-fg")).Body?["metadata"]?["deletionTimestamp"] is not null,
            "dependent marked for deletion");
        Assert.False(await Gone($"{Things}/owner-fg"));

        await _s.MergePatchAsync($"{ConfigMaps}/dep-fg", JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);
        await TestSandbox.Eventually(() => Gone($"{Things}/owner-fg"), "owner released after its dependent went");
        Assert.True(await Gone($"{ConfigMaps}/dep-fg"));
    }

    [Fact]
    public async Task OrphanDeletionKeepsDependentsAndDropsTheirOwnerReference()
    {
        var (_, owner) = await _s.PostAsync(Things, Thing("owner-or"));
        await _s.PostAsync(ConfigMaps, ConfigMap("dep-or", extraMeta: new JsonObject { ["ownerReferences"] = new JsonArray(OwnerRef(owner!)) }));
        await _s.DeleteAsync($"{Things}/owner-or?propagationPolicy=Orphan");
        await TestSandbox.Eventually(() => Gone($"{Things}/owner-or"), "owner deleted");
        var (code, dep) = await _s.GetAsync($"{ConfigMaps}/dep-or");
        Assert.Equal(200, code);
        Assert.Null(dep!["metadata"]!["ownerReferences"]);
    }
}
