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

public sealed class PodDeletionTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private static JsonObject Pod(string name, string? node)
    {
        var spec = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 7,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "postgres:17" }),
        };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    [Fact]
    public async Task APodOnTheNodeTerminatesGracefullyUntilForcedOrRemovedByTheNode()
    {
        await _s.PostAsync(Pods, Pod("running", "sandbox"));
        var (code, deleting) = await _s.DeleteAsync($"{Pods}/running");
        Assert.Equal(200, code);
        Assert.Equal(7, deleting!["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);

        // Other writers (labels, status) do not end it early.
        var (_, patched) = await _s.MergePatchAsync($"{Pods}/running", JsonNode.Parse("""{"metadata":{"labels":{"x":"y"}}}""")!);
        Assert.Equal("y", patched!["metadata"]!["labels"]!["x"]!.GetValue<string>());
        var put = (JsonObject)patched.DeepClone();
        ((JsonObject)put["metadata"]!).Remove("deletionGracePeriodSeconds");
        ((JsonObject)put["metadata"]!).Remove("deletionTimestamp");
        var (putCode, afterPut) = await _s.PutAsync($"{Pods}/running", put);
        Assert.Equal(200, putCode);
        Assert.NotNull(afterPut!["metadata"]!["deletionTimestamp"]);
        var table = JsonNode.Parse(await (await _s.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Pods)
        {
            Headers = { { "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io" } },
        })).Content.ReadAsStringAsync())!;
        Assert.Equal("Terminating", table["rows"]![0]!["cells"]![2]!.GetValue<string>());

        (code, _) = await _s.DeleteAsync($"{Pods}/running", JsonNode.Parse("""{"gracePeriodSeconds":0}"""));
        Assert.Equal(200, code);
        Assert.Equal(404, (await _s.GetAsync($"{Pods}/running")).Code);
    }

    [Fact]
    public async Task AnUnscheduledPodIsDeletedAtOnce()
    {
        await _s.PostAsync(Pods, Pod("pending", null));
        var (code, status) = await _s.DeleteAsync($"{Pods}/pending");
        Assert.Equal(200, code);
        Assert.Equal("Success", status!["status"]!.GetValue<string>());
        Assert.Equal(404, (await _s.GetAsync($"{Pods}/pending")).Code);
    }
}

public sealed class NamespaceDeletionTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task DeletingANamespaceDeletesItsObjects()
    {
        await _s.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });
        await _s.PostAsync("/api/v1/namespaces/doomed/configmaps", TestObjects.ConfigMap("inside"));
        await _s.PostAsync(TestObjects.ConfigMaps, TestObjects.ConfigMap("outside"));
        Assert.Equal(200, (await _s.DeleteAsync("/api/v1/namespaces/doomed")).Code);
        await TestSandbox.Eventually(async () => (await _s.GetAsync("/api/v1/namespaces/doomed/configmaps/inside")).Code == 404, "contents deleted");
        Assert.Equal(200, (await _s.GetAsync($"{TestObjects.ConfigMaps}/outside")).Code);
    }
}

public sealed class CrdDeletionTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        await _s.InstallThingsCrdAsync();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task DeletingACrdStopsServingItAndRemovesItsObjects()
    {
        await _s.PostAsync(TestObjects.Things, TestObjects.Thing("t"));
        Assert.Equal(200, (await _s.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.example.com")).Code);
        await TestSandbox.Eventually(() => Task.FromResult(_s.Host.Store.List(new Store.ResourceType("example.com", "things"), null).Count == 0), "custom resources removed");
        Assert.Equal(404, (await _s.GetAsync("/apis/example.com/v1")).Code);
        Assert.Equal(404, (await _s.GetAsync(TestObjects.Things)).Code);
    }
}
