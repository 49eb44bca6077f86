using k8s;
using PgReplica.Kube.Client;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Client;

/// <summary>The adapter's contract when the server fails: every answer maps to one exception type, and no watch hangs.</summary>
public class FailureContractTests
{
    [Theory]
    [InlineData(403, "Forbidden")]
    [InlineData(409, "Conflict")]
    [InlineData(410, "Gone")]
    [InlineData(422, "Invalid")]
    [InlineData(500, "InternalError")]
    public async Task EveryRefusalIsAKubernetesApiExceptionWithItsCodeAndReason(int code, string reason)
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        server.Fault = r => r.Method == "PATCH" ? (code, reason) : null;

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => client.PatchAsync<Thing>("a", "default", KubernetesPatch.Merge(new { spec = new { replicas = 2 } })));

        Assert.Equal(code, e.Code);
        Assert.Equal(reason, e.Reason);
        Assert.Equal(code == 403, e.IsForbidden);
        Assert.Equal(code == 409, e.IsConflict);
        Assert.Equal(code == 410, e.IsGone);
        Assert.Equal(code == 422, e.IsInvalid);
    }

    [Fact]
    public async Task AbsentObjectsAreNullOnGetAndAbsentOnDelete()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();

        Assert.Null(await client.GetAsync<Thing>("missing"));
        Assert.True((await client.DeleteAsync<Thing>("missing")).WasAbsent);
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => client.PatchAsync<Thing>("missing", "default", KubernetesPatch.Merge(new { spec = new { } })));
        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task AFailedJsonPatchTestIs422()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(Thing.Named("a"));

        var patch = new JsonPatch().Test("/spec/replicas", 7).Replace("/spec/replicas", 3);
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => client.PatchAsync<Thing>("a", "default", KubernetesPatch.Json(patch)));

        Assert.True(e.IsInvalid);
        Assert.Equal(1, (await client.GetAsync<Thing>("a"))!.Spec.Replicas);
    }

    [Fact]
    public async Task AWatchCutMidwayThrowsSoTheWatcherCanResume()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var received = new List<string?>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in client.WatchAsync<Thing>("default", new ListOptions { TimeoutSeconds = 30 }))
            {
                received.Add(e.Object?.Metadata.Name);
            }
        });
        await Eventually.TrueAsync(() => server.OpenWatches == 1);
        await client.CreateAsync(Thing.Named("a"));
        await Eventually.TrueAsync(() => received.Contains("a"));

        server.DropWatches();

        await Assert.ThrowsAnyAsync<Exception>(() => watching);
    }

    [Fact]
    public async Task AWatchThatNeverAnswersEndsAtTheClientsGuard()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client(watchGuardMargin: TimeSpan.FromSeconds(1));
        var release = new TaskCompletionSource();
        server.BeforeHandling = r => r.Query["watch"] == "true" ? release.Task : Task.CompletedTask;

        var events = 0;
        await foreach (var _ in client.WatchAsync<Thing>("default", new ListOptions { TimeoutSeconds = 1 }))
        {
            events++;
        }

        release.SetResult();
        Assert.Equal(0, events);
    }

    [Fact]
    public async Task AnExpiredResourceVersionInsideTheStreamArrivesAsAnErrorEvent()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        await client.CreateAsync(Thing.Named("a"));
        server.CompactedBelow = server.ResourceVersion;

        var events = new List<WatchEvent<Thing>>();
        await foreach (var e in client.WatchAsync<Thing>("default", new ListOptions { ResourceVersion = "1" }))
        {
            events.Add(e);
        }

        Assert.Equal(WatchEventType.Error, Assert.Single(events).Type);
        Assert.Equal(410, events[0].Error!.Code);
    }
}
