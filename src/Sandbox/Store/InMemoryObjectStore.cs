using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Store;

/// <summary>A simple, thread-safe <see cref="IObjectStore"/>: one lock, one global resourceVersion counter.</summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(ResourceType, string, string), JsonObject> _objects = new();
    private readonly List<Action<StoreEvent>> _subscribers = new();
    private long _rv;

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

    /// <inheritdoc />
    public JsonObject Create(ResourceType resource, string? ns, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        var meta = Meta(copy);
        var name = meta["name"]?.GetValue<string>() ?? throw new StoreException("Invalid", 422, "metadata.name: Required value");
        StoreEvent ev;
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

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            meta["resourceVersion"] = rv.ToString();
            meta["generation"] = 1;
            _objects[key] = copy;
            ev = new StoreEvent(StoreEventType.Added, resource, (JsonObject)copy.DeepClone(), rv);
        }

        Publish(ev);
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
            Meta(old)["resourceVersion"] = rv.ToString();
            ev = new StoreEvent(StoreEventType.Deleted, resource, (JsonObject)old.DeepClone(), rv);
        }

        Publish(ev);
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

    private JsonObject Write(ResourceType resource, string? ns, JsonObject obj, bool statusOnly)
    {
        var incoming = (JsonObject)obj.DeepClone();
        var name = Meta(incoming)["name"]?.GetValue<string>() ?? throw new StoreException("Invalid", 422, "metadata.name: Required value");
        StoreEvent ev;
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
                // Server-owned metadata stays as stored.
                foreach (var field in new[] { "uid", "creationTimestamp", "generation", "namespace" })
                {
                    meta[field] = currentMeta[field]?.DeepClone();
                }
            }

            var rv = ++_rv;
            Meta(result)["resourceVersion"] = rv.ToString();
            _objects[key] = result;
            ev = new StoreEvent(StoreEventType.Modified, resource, (JsonObject)result.DeepClone(), rv);
        }

        Publish(ev);
        return (JsonObject)result.DeepClone();
    }

    private void Publish(StoreEvent ev)
    {
        Action<StoreEvent>[] subs;
        lock (_gate)
        {
            subs = _subscribers.ToArray();
        }

        foreach (var s in subs)
        {
            s(ev with { Object = (JsonObject)ev.Object.DeepClone() });
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
