using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Store;

/// <summary>Kind of change a store reports to its subscribers, as a watch does.</summary>
public enum StoreEventType
{
    /// <summary>The object was created.</summary>
    Added,

    /// <summary>The object changed.</summary>
    Modified,

    /// <summary>The object is gone.</summary>
    Deleted,
}

/// <summary>One change to one stored object; Object is a copy the subscriber may keep.</summary>
public sealed record StoreEvent(StoreEventType Type, ResourceType Resource, JsonObject Object, long ResourceVersion);

/// <summary>
/// The sandbox's etcd: objects as JSON, one global resourceVersion counter.
/// Shared by the API server, the node agent and the Service proxies, all in one process.
/// </summary>
public interface IObjectStore
{
    /// <summary>The object, or null. Returns a copy.</summary>
    JsonObject? Get(ResourceType resource, string? ns, string name);

    /// <summary>Every object of the type, in one namespace or (ns null) all. Returns copies.</summary>
    IReadOnlyList<JsonObject> List(ResourceType resource, string? ns);

    /// <summary>Stores a new object: assigns uid, creationTimestamp, resourceVersion, generation 1. Throws <see cref="StoreException"/> (AlreadyExists).</summary>
    JsonObject Create(ResourceType resource, string? ns, JsonObject obj);

    /// <summary>Replaces the whole object; a set resourceVersion must match the stored one (Conflict otherwise).</summary>
    JsonObject Replace(ResourceType resource, string? ns, JsonObject obj);

    /// <summary>Replaces only the status of the object; never bumps generation.</summary>
    JsonObject ReplaceStatus(ResourceType resource, string? ns, JsonObject obj);

    /// <summary>Removes the object at once (finalizers are the API server's concern). Returns the last state, or null if absent.</summary>
    JsonObject? Remove(ResourceType resource, string? ns, string name);

    /// <summary>The current global resourceVersion.</summary>
    long CurrentResourceVersion { get; }

    /// <summary>
    /// Calls handler for every later change, after it is stored, until disposed. Handlers run one event at a time,
    /// in resourceVersion order; a write made from inside a handler is delivered after the handler returns.
    /// </summary>
    IDisposable Subscribe(Action<StoreEvent> handler);

    /// <summary>
    /// The recent changes with a resourceVersion above <paramref name="resourceVersion"/>, oldest first,
    /// or null when that version is older than the window the store keeps (a watch answers 410 Expired then).
    /// </summary>
    IReadOnlyList<StoreEvent>? EventsAfter(long resourceVersion);
}

/// <summary>A store rule was broken; Reason is the Kubernetes Status reason (NotFound, AlreadyExists, Conflict, Invalid).</summary>
public sealed class StoreException(string reason, int code, string message) : Exception(message)
{
    /// <summary>Kubernetes Status reason.</summary>
    public string Reason { get; } = reason;

    /// <summary>HTTP status code.</summary>
    public int Code { get; } = code;
}
