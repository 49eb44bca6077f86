using System.Text.Json.Nodes;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Client;

public class ClientCrudTests
{
    [Fact]
    public async Task CreateGetListReplaceDeleteOverHttp()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();

        var created = await client.CreateAsync(Thing.Named("a", replicas: 2));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.Uid);
        await client.CreateAsync(Thing.Named("b"));
        await client.CreateAsync(Thing.Named("c", ns: "other"));

        var got = await client.GetAsync<Thing>("a", "default");
        Assert.Equal(2, got!.Spec.Replicas);
        Assert.Null(await client.GetAsync<Thing>("missing", "default"));

        Assert.Equal(["a", "b"], (await client.ListAsync<Thing>("default")).Items.Select(t => t.Metadata.Name!).Order());
        Assert.Equal(3, (await client.ListAsync<Thing>()).Items.Count);
        Assert.Contains("GET /apis/example.io/v1/things", server.Requests);

        got.Spec.Replicas = 3;
        var replaced = await client.ReplaceAsync(got);
        Assert.Equal(2, replaced.Metadata.Generation);
        Assert.NotEqual(got.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        var deleted = await client.DeleteAsync<Thing>("a", "default", new V1DeleteOptions { PropagationPolicy = "Background" });
        var deleteBody = JsonNode.Parse(server.Bodies.Single(b => b.Request == "DELETE /apis/example.io/v1/namespaces/default/things/a").Body)!;
        Assert.Equal("Background", (string?)deleteBody["propagationPolicy"]);
        Assert.False(deleted.Pending);
        Assert.Equal("Success", deleted.Status!.Status);
        Assert.Null(await client.GetAsync<Thing>("a", "default"));
        Assert.True((await client.DeleteAsync<Thing>("a", "default")).WasAbsent);
    }

    [Fact]
    public async Task StalePutIsConflict()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var first = await client.CreateAsync(Thing.Named("a"));
        var stale = await client.GetAsync<Thing>("a");
        first.Spec.Note = "one";
        await client.ReplaceAsync(first);

        stale!.Spec.Note = "two";
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ReplaceAsync(stale));
        Assert.True(e.IsConflict);
        Assert.False(e.IsAlreadyExists);
        Assert.Equal(409, e.Code);
        Assert.Equal("Conflict", e.Status.Reason);
        Assert.Equal("one", (await client.GetAsync<Thing>("a"))!.Spec.Note);
    }

    [Fact]
    public async Task ErrorsMapToStatusHelpers()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(Thing.Named("a"));

        var exists = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(Thing.Named("a")));
        Assert.True(exists.IsAlreadyExists);
        Assert.False(exists.IsConflict);

        var missing = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ReplaceAsync(new Thing { Metadata = new() { Name = "zz", ResourceVersion = "1" } }));
        Assert.True(missing.IsNotFound);

        var noRv = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ReplaceAsync(Thing.Named("a")));
        Assert.True(noRv.IsInvalid);
        Assert.Contains("resourceVersion", noRv.Status.Message);

        server.Fault = r => r.Method == "GET" ? (403, "Forbidden") : null;
        var forbidden = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync<Thing>("a"));
        Assert.True(forbidden.IsForbidden);

        server.Fault = r => r.Method == "GET" ? (410, "Gone") : null;
        Assert.True((await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync<Thing>())).IsGone);
    }

    [Fact]
    public async Task NonStatusErrorBodyStillCarriesTheCode()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        // A path the fake server does not route answers a Status; a non-JSON body must still map to its HTTP code.
        server.Fault = _ => (502, "BadGateway");
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync<V1Pod>("x"));
        Assert.Equal(502, e.Code);
    }

    [Fact]
    public async Task MergeAndJsonPatch()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(Thing.Named("a"));

        var merged = await client.PatchAsync<Thing>("a", "default", KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["note"] = "hi" } }));
        Assert.Equal("hi", merged.Spec.Note);
        Assert.Equal(1, merged.Spec.Replicas);

        var patched = await client.PatchAsync<Thing>("a", "default", KubernetesPatch.Json(new JsonPatch().Test("/spec/note", "hi").Replace("/spec/replicas", 5)));
        Assert.Equal(5, patched.Spec.Replicas);

        var failed = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            client.PatchAsync<Thing>("a", "default", KubernetesPatch.Json(new JsonPatch().Test("/spec/note", "other").Replace("/spec/replicas", 9))));
        Assert.True(failed.IsInvalid);
        Assert.Equal(5, (await client.GetAsync<Thing>("a"))!.Spec.Replicas);
        Assert.Contains(server.Requests, r => r.StartsWith("PATCH /apis/example.io/v1/namespaces/default/things/a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusSubresourceWritesOnlyStatus()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var t = Thing.Named("a");
        t.Status = new ThingStatus { Phase = "Ignored" };
        var created = await client.CreateAsync(t);
        Assert.Null(created.Status);

        created.Status = new ThingStatus { Phase = "Ready", Replicas = 1 };
        created.Spec.Note = "not via status";
        var afterStatus = await client.ReplaceStatusAsync(created);
        Assert.Equal("Ready", afterStatus.Status!.Phase);
        Assert.Null(afterStatus.Spec.Note);
        Assert.Equal(1, afterStatus.Metadata.Generation);

        var patched = await client.PatchStatusAsync<Thing>("a", "default", KubernetesPatch.Merge(new { status = new { phase = "Degraded" } }));
        Assert.Equal("Degraded", patched.Status!.Phase);
        Assert.Equal(1, patched.Status.Replicas);
        Assert.Contains(server.Requests, r => r == "PATCH /apis/example.io/v1/namespaces/default/things/a/status");
    }

    [Fact]
    public async Task ScaleSubresource()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(Thing.Named("a", replicas: 2));
        var scale = await client.GetScaleAsync<Thing>("a", "default");
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("autoscaling/v1", scale.ApiVersion);

        var after = await client.PatchScaleAsync<Thing>("a", "default", KubernetesPatch.Merge(new { spec = new { replicas = 4 } }));
        Assert.Equal(4, after.Spec.Replicas);
        Assert.Equal(4, (await client.GetAsync<Thing>("a"))!.Spec.Replicas);
    }

    [Fact]
    public async Task DeleteWithFinalizerReturnsTheObject()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var t = Thing.Named("a");
        t.Metadata.Finalizers = ["example.io/cleanup"];
        await client.CreateAsync(t);
        var result = await client.DeleteAsync<Thing>("a");
        Assert.True(result.Pending);
        Assert.NotNull(result.Object!.Metadata.DeletionTimestamp);
        Assert.NotNull(await client.GetAsync<Thing>("a"));
    }

    [Fact]
    public async Task BuiltInKindsRoundTripThroughTheServer()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var pod = new V1Pod
        {
            Metadata = new() { Name = "p", Labels = new Dictionary<string, string> { ["app"] = "x" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "postgres:17", Ports = [new() { Name = "pg", ContainerPort = 5432 }] }] },
        };
        await client.CreateAsync(pod);
        await client.CreateAsync(new V1Pod { Metadata = new() { Name = "q", Labels = new Dictionary<string, string> { ["app"] = "y" } }, Spec = new V1PodSpec() });
        var listed = await client.ListAsync<V1Pod>("default", new ListOptions { LabelSelector = "app=x" });
        Assert.Equal("p", Assert.Single(listed.Items).Metadata.Name);
        Assert.Equal(5432, listed.Items[0].Spec!.Containers[0].Ports![0].ContainerPort);
        Assert.Contains("GET /api/v1/namespaces/default/pods?labelSelector=app%3Dx", server.Requests);
        var byField = await client.ListAsync<V1Pod>("default", new ListOptions { FieldSelector = "metadata.name=q" });
        Assert.Equal("q", Assert.Single(byField.Items).Metadata.Name);
    }

    [Fact]
    public async Task ClusterScopedKindsIgnoreTheNamespace()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(new V1Namespace { Metadata = new() { Name = "pg" } });
        await client.CreateAsync(new V1ConfigMap { Metadata = new() { Name = "cfg", NamespaceProperty = "pg" }, Data = new Dictionary<string, string> { ["k"] = "v" } });
        Assert.NotNull(await client.GetAsync<V1Namespace>("pg", "ignored"));
        Assert.Equal("v", (await client.GetAsync<V1ConfigMap>("cfg", "pg"))!.Data!["k"]);
        Assert.Contains("POST /api/v1/namespaces", server.Requests);
        Assert.Contains("GET /api/v1/namespaces/pg", server.Requests);
        Assert.Contains("GET /api/v1/namespaces/pg/configmaps/cfg", server.Requests);
    }

    [Fact]
    public async Task BearerTokenIsSent()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client(caller: "abc");
        await client.ListAsync<V1Pod>();
        Assert.Contains(server.Authorizations, a => a == $"Bearer {server.Token}");
    }
}
