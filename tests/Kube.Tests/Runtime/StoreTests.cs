using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public class StoreTests
{
    private static WatcherEvent<Thing> Ev(WatcherEventType type, string? name = null, string? note = null)
    {
        if (name is null)
        {
            return new(type, null);
        }

        var t = Thing.Named(name);
        t.Spec.Note = note;
        return new(type, t);
    }

    [Fact]
    public void ARelistIsInvisibleUntilInitDoneThenReplacesEverything()
    {
        var store = new Store<Thing>();
        Assert.False(store.Ready.IsCompleted);
        store.Apply(Ev(WatcherEventType.InitStarted));
        store.Apply(Ev(WatcherEventType.InitApply, "a"));
        store.Apply(Ev(WatcherEventType.InitApply, "b"));
        Assert.Equal(0, store.Count);
        store.Apply(Ev(WatcherEventType.InitDone));
        Assert.True(store.Ready.IsCompletedSuccessfully);
        Assert.Equal(2, store.Count);

        store.Apply(Ev(WatcherEventType.Apply, "a", "changed"));
        store.Apply(Ev(WatcherEventType.Delete, "b"));
        Assert.Equal("changed", store.Get(new ObjectRef("default", "a"))!.Spec.Note);
        Assert.Null(store.Get(new ObjectRef("default", "b")));

        store.Apply(Ev(WatcherEventType.InitStarted));
        store.Apply(Ev(WatcherEventType.InitApply, "c"));
        Assert.NotNull(store.Get(new ObjectRef("default", "a")));
        store.Apply(Ev(WatcherEventType.InitDone));
        Assert.Equal(["c"], store.List().Select(t => t.Metadata.Name!));
    }
}
