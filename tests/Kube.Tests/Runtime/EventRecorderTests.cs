using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public class EventRecorderTests
{
    [Fact]
    public async Task RepeatsBumpTheCountAndNewReasonsCreateNewEvents()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var thing = await client.CreateAsync(Thing.Named("a"));
        var recorder = new EventRecorder(client, "pgreplica", "pod-1");

        var first = await recorder.RecordAsync(thing, EventRecorder.Normal, "Scaled", "2 standbys");
        var second = await recorder.RecordAsync(thing, EventRecorder.Normal, "Scaled", "2 standbys");
        await recorder.RecordAsync(thing, EventRecorder.Warning, "Degraded", "standby lagging");

        Assert.Equal(first.Metadata.Name, second.Metadata.Name);
        Assert.Equal(2, second.Count);
        var events = (await client.ListAsync<Corev1Event>("default")).Items;
        Assert.Equal(2, events.Count);
        var scaled = events.Single(e => e.Reason == "Scaled");
        Assert.Equal(2, scaled.Count);
        Assert.Equal("Thing", scaled.InvolvedObject.Kind);
        Assert.Equal(thing.Metadata.Uid, scaled.InvolvedObject.Uid);
        Assert.Equal("example.io/v1", scaled.InvolvedObject.ApiVersion);
        Assert.Equal("pgreplica", scaled.Source!.Component);
        Assert.Equal("pgreplica", scaled.ReportingComponent);
        Assert.NotNull(scaled.FirstTimestamp);
        Assert.Equal("Warning", events.Single(e => e.Reason == "Degraded").Type);
    }

    [Fact]
    public async Task AnExpiredEventIsCreatedAgain()
    {
        await using var server = await SandboxApi.StartAsync();
        using var client = server.Client();
        var thing = await client.CreateAsync(Thing.Named("a"));
        var recorder = new EventRecorder(client, "pgreplica");
        var first = await recorder.RecordAsync(thing, EventRecorder.Normal, "Ready", "ok");
        await client.DeleteAsync<Corev1Event>(first.Metadata.Name!, "default");
        var again = await recorder.RecordAsync(thing, EventRecorder.Normal, "Ready", "ok");
        Assert.Equal(1, again.Count);
        Assert.NotEqual(first.Metadata.Name, again.Metadata.Name);
    }
}
