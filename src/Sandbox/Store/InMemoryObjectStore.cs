using System.Globalization;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Store;

/// <summary>
/// A thread-safe <see cref="IObjectStore"/>: one lock, one global resourceVersion counter, a bounded window of
/// recent changes for watches, and subscribers served one event at a time in resourceVersion order.
/// </summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    private static readonly string[] ServerOwnedMetadata = ["uid", "creationTimestamp", "generation", "namespace"];

    private readonly object _gate = new();
    private readonly Dictionary<(ResourceType, string, string), JsonObject> _objects = new();
    private readonly List<Action<StoreEvent>> _subscribers = new();
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly Queue<StoreEvent> _undelivered = new();
    private readonly int _historyCapacity;
    private long _rv;
    private long _historyStart;
    private bool _delivering;

    /// <summary>Creates an empty store keeping the last <paramref name="historyCapacity"/> changes for watches.</summary>
    public InMemoryObjectStore(int historyCapacity = 4096)
    {
        _historyCapacity = Math.Max(1, historyCapacity);
    }

    /// <inheritdoc />
    public long CurrentResourceVersion
    {
        get { lock (_gate) { return _rv; } }
    }

    /// <inheritdoc />
    public JsonObject? Get(ResourceType resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((resource, ns ?? "", name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<JsonObject> List(ResourceType resource, string? ns)
    {
        lock (_gate)
        {
            return _objects
                .Where(kv => kv.Key.Item1 == resource && (ns is null || kv.Key.Item2 == ns))
                .OrderBy(kv => kv.Key.Item2, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item3, StringComparer.Ordinal)
                .Select(kv => (JsonObject)kv.Value.DeepClone())
                .ToList();
        }
    }

    /// <summary>Every stored object with its type, for persistence and garbage collection. Returns copies.</summary>
    public IReadOnlyList<(ResourceType Resource, JsonObject Object)> All()
    {
        lock (_gate)
        {
            return _objects.Select(kv => (kv.Key.Item1, (JsonObject)kv.Value.DeepClone())).ToList();
        }
    }

    /// <inheritdoc />
    public JsonObject Create(ResourceType resource, string? ns, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        var meta = Meta(copy);
        var name = meta["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            throw new StoreException("Invalid", 422, "metadata.name: Required value: name or generateName is required");
        }

        lock (_gate)
        {
            var key = (resource, ns ?? "", name);
            if (_objects.ContainsKey(key))
            {
                throw new StoreException("AlreadyExists", 409, $"{resource} \"{name}\" already exists");
            }

            var rv = ++_rv;
            if (ns is not null)
            {
                meta["namespace"] = ns;
            }
            else
            {
                meta.Remove("namespace");
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp(DateTimeOffset.UtcNow);
            meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            meta["generation"] = 1;
            _objects[key] = copy;
            Record(new StoreEvent(StoreEventType.Added, resource, (JsonObject)copy.DeepClone(), rv));
        }

        Deliver();
        return (JsonObject)copy.DeepClone();
    }

    /// <inheritdoc />
    public JsonObject Replace(ResourceType resource, string? ns, JsonObject obj) => Write(resource, ns, obj, statusOnly: false);

    /// <inheritdoc />
    public JsonObject ReplaceStatus(ResourceType resource, string? ns, JsonObject obj) => Write(resource, ns, obj, statusOnly: true);

    /// <inheritdoc />
    public JsonObject? Remove(ResourceType resource, string? ns, string name)
    {
        StoreEvent ev;
        lock (_gate)
        {
            var key = (resource, ns ?? "", name);
            if (!_objects.Remove(key, out var old))
            {
                return null;
            }

            var rv = ++_rv;
            Meta(old)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            ev = new StoreEvent(StoreEventType.Deleted, resource, (JsonObject)old.DeepClone(), rv);
            Record(ev);
        }

        Deliver();
        return (JsonObject)ev.Object.DeepClone();
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action<StoreEvent> handler)
    {
        lock (_gate)
        {
            _subscribers.Add(handler);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(handler);
            }
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<StoreEvent>? EventsAfter(long resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion < _historyStart)
            {
                return null;
            }

            return _history.Where(e => e.ResourceVersion > resourceVersion)
                .Select(e => e with { Object = (JsonObject)e.Object.DeepClone() })
                .ToList();
        }
    }

    /// <summary>
    /// Puts back an object exactly as it was saved (metadata untouched), without events: used when a sandbox
    /// restarts from its state directory. The counter moves past the object's resourceVersion.
    /// </summary>
    public void Restore(ResourceType resource, JsonObject obj, long minimumResourceVersion = 0)
    {
        var meta = Meta(obj);
        var name = meta["name"]?.GetValue<string>() ?? throw new StoreException("Invalid", 422, "metadata.name: Required value");
        var ns = meta["namespace"]?.GetValue<string>() ?? "";
        lock (_gate)
        {
            _objects[(resource, ns, name)] = (JsonObject)obj.DeepClone();
            var rv = long.TryParse(meta["resourceVersion"]?.GetValue<string>(), out var parsed) ? parsed : 0;
            _rv = Math.Max(_rv, Math.Max(rv, minimumResourceVersion));
            _historyStart = _rv;
        }
    }

    /// <summary>Moves the counter forward to at least <paramref name="resourceVersion"/>; older watch positions then expire.</summary>
    public void AdvanceTo(long resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion > _rv)
            {
                _rv = resourceVersion;
                _historyStart = _rv;
            }
        }
    }

    /// <summary>Kubernetes' RFC 3339 timestamp with seconds precision.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private JsonObject Write(ResourceType resource, string? ns, JsonObject obj, bool statusOnly)
    {
        var incoming = (JsonObject)obj.DeepClone();
        var name = Meta(incoming)["name"]?.GetValue<string>() ?? throw new StoreException("Invalid", 422, "metadata.name: Required value");
        JsonObject result;
        lock (_gate)
        {
            var key = (resource, ns ?? "", name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw new StoreException("NotFound", 404, $"{resource} \"{name}\" not found");
            }

            var wantedRv = Meta(incoming)["resourceVersion"]?.GetValue<string>();
            var currentMeta = Meta(current);
            if (!string.IsNullOrEmpty(wantedRv) && wantedRv != currentMeta["resourceVersion"]!.GetValue<string>())
            {
                throw new StoreException("Conflict", 409,
                    $"Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            if (statusOnly)
            {
                result = (JsonObject)current.DeepClone();
                result["status"] = incoming["status"]?.DeepClone();
            }
            else
            {
                result = incoming;
                var meta = Meta(result);
                foreach (var field in ServerOwnedMetadata)
                {
                    meta[field] = currentMeta[field]?.DeepClone();
                }

                if (currentMeta["deletionTimestamp"] is { } deleting)
                {
                    // Once set, deletion cannot be undone by a write.
                    meta["deletionTimestamp"] = deleting.DeepClone();
                }
                else if (meta["deletionTimestamp"] is not null)
                {
                    meta["generation"] = Generation(currentMeta) + 1;
                }

                if (SpecChanged(current, result))
                {
                    meta["generation"] = Generation(meta) + 1;
                }

                if (meta["namespace"] is null)
                {
                    meta.Remove("namespace");
                }
            }

            var rv = ++_rv;
            Meta(result)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            _objects[key] = result;
            Record(new StoreEvent(StoreEventType.Modified, resource, (JsonObject)result.DeepClone(), rv));
        }

        Deliver();
        return (JsonObject)result.DeepClone();
    }

    private static long Generation(JsonObject meta) => JsonNumber.Long(meta["generation"]) ?? 0;

    // Generation follows everything outside metadata and status (kind and apiVersion never change).
    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        var keys = before.Select(p => p.Key).Concat(after.Select(p => p.Key))
            .Where(k => k is not ("metadata" or "status" or "kind" or "apiVersion")).Distinct();
        return keys.Any(k => !JsonNode.DeepEquals(before[k], after[k]));
    }

    // Called under _gate.
    private void Record(StoreEvent ev)
    {
        _history.AddLast(ev);
        while (_history.Count > _historyCapacity)
        {
            _historyStart = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        _undelivered.Enqueue(ev);
    }

    // One thread at a time drains the queue, so subscribers see events in order and never concurrently.
    private void Deliver()
    {
        while (true)
        {
            StoreEvent ev;
            Action<StoreEvent>[] subs;
            lock (_gate)
            {
                if (_delivering || _undelivered.Count == 0)
                {
                    return;
                }

                _delivering = true;
                ev = _undelivered.Dequeue();
                subs = _subscribers.ToArray();
            }

            try
            {
                foreach (var s in subs)
                {
                    try
                    {
                        s(ev with { Object = (JsonObject)ev.Object.DeepClone() });
                    }
                    catch (Exception)
                    {
                        // A failing subscriber must not stop the others or the writer.
                    }
                }
            }
            finally
            {
                lock (_gate)
                {
                    _delivering = false;
                }
            }
        }
    }

    private static JsonObject Meta(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }

        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
