using System.Text.Json.Nodes;
using System.Threading.Channels;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// The sandbox's garbage collector: deletes dependents whose owners are all gone (background), deletes dependents of
/// an owner being deleted in the foreground and then releases it, and strips ownerReferences for orphan deletes.
/// Works in sweeps over the whole store, triggered by deletions; the sandbox holds few objects.
/// </summary>
public sealed class GarbageCollector : IAsyncDisposable
{
    private readonly ObjectOperations _ops;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts collecting.</summary>
    public GarbageCollector(ObjectOperations ops)
    {
        _ops = ops;
        _subscription = ops.Store.Subscribe(ev =>
        {
            if (ev.Type == StoreEventType.Deleted || ev.Object["metadata"]?["deletionTimestamp"] is not null)
            {
                _signals.Writer.TryWrite(true);
            }
        });
        _signals.Writer.TryWrite(true);
        _loop = Task.Run(RunAsync);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (await _signals.Reader.WaitToReadAsync(_stop.Token))
        {
            _signals.Reader.TryRead(out _);
            try
            {
                Sweep();
            }
            catch (Exception e) when (e is ApiException or StoreException)
            {
                // Raced with another writer; the next change triggers another sweep.
                _signals.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>One pass over every object.</summary>
    internal void Sweep()
    {
        var all = _ops.Store.All();
        var uids = all.Select(o => Uid(o.Object)).Where(u => u is not null).ToHashSet();
        var namespaces = all.Where(o => o.Resource == ResourceType.Namespaces).Select(o => Name(o.Object)).ToHashSet();
        // A deleted CRD takes its custom resources with it.
        foreach (var (type, obj) in all.Where(o => _ops.Catalog.Find(o.Resource) is null))
        {
            _ops.Store.Remove(type, Ns(obj), Name(obj));
        }

        // A deleted namespace takes its contents with it.
        foreach (var (type, obj) in all.Where(o => Ns(o.Object) is { } ns && !namespaces.Contains(ns) && o.Object["metadata"]?["deletionTimestamp"] is null))
        {
            Delete(type, obj, "Background");
        }

        foreach (var (type, obj) in all)
        {
            var refs = OwnerRefs(obj);
            if (refs.Count == 0 || obj["metadata"]?["deletionTimestamp"] is not null)
            {
                continue;
            }

            var alive = refs.Where(r => uids.Contains(r["uid"]?.GetValue<string>())).ToList();
            if (alive.Count == 0)
            {
                Delete(type, obj, "Background");
            }
            else if (alive.Count < refs.Count)
            {
                SetOwnerRefs(type, obj, alive);
            }
        }

        foreach (var (type, owner) in all.Where(o => o.Object["metadata"]?["deletionTimestamp"] is not null))
        {
            var finalizers = ObjectOperations.Finalizers(owner);
            var uid = Uid(owner);
            var dependents = all.Where(d => OwnerRefs(d.Object).Any(r => r["uid"]?.GetValue<string>() == uid)).ToList();
            if (finalizers.Contains(ObjectOperations.OrphanFinalizer))
            {
                foreach (var (dt, d) in dependents)
                {
                    SetOwnerRefs(dt, d, OwnerRefs(d).Where(r => r["uid"]?.GetValue<string>() != uid).ToList());
                }

                _ops.RemoveFinalizer(type, Ns(owner), Name(owner), ObjectOperations.OrphanFinalizer);
            }
            else if (finalizers.Contains(ObjectOperations.ForegroundFinalizer))
            {
                foreach (var (dt, d) in dependents.Where(d => d.Object["metadata"]?["deletionTimestamp"] is null))
                {
                    Delete(dt, d, "Foreground");
                }

                var blocking = dependents.Where(d => _ops.Store.Get(d.Resource, Ns(d.Object), Name(d.Object)) is not null
                    && OwnerRefs(d.Object).Any(r => r["uid"]?.GetValue<string>() == uid && r["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var v) && v));
                if (!blocking.Any())
                {
                    _ops.RemoveFinalizer(type, Ns(owner), Name(owner), ObjectOperations.ForegroundFinalizer);
                }
            }
        }
    }

    private void Delete(ResourceType type, JsonObject obj, string policy)
    {
        var r = _ops.Catalog.Find(type);
        if (r is null)
        {
            _ops.Store.Remove(type, Ns(obj), Name(obj));
            return;
        }

        try
        {
            _ops.Delete(r, Ns(obj), Name(obj), DeleteOptions.Default with { PropagationPolicy = policy, PreconditionUid = Uid(obj) });
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Already gone or replaced by a new object of the same name.
        }
    }

    private void SetOwnerRefs(ResourceType type, JsonObject obj, List<JsonObject> refs)
    {
        var meta = (JsonObject)obj["metadata"]!;
        if (refs.Count == 0)
        {
            meta.Remove("ownerReferences");
        }
        else
        {
            meta["ownerReferences"] = new JsonArray(refs.Select(r => (JsonNode)r.DeepClone()).ToArray());
        }

        _ops.Store.Replace(type, Ns(obj), obj);
    }

    private static List<JsonObject> OwnerRefs(JsonObject obj) => (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static string? Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>();

    private static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static string? Ns(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();
}
