using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>A reflector cache (kube-rs <c>reflector::Store</c>): the latest state of every watched object.</summary>
public sealed class Store<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConcurrentDictionary<ObjectRef, T> current = new();
    private Dictionary<ObjectRef, T>? buffer;

    /// <summary>Completes after the first full list was swapped in.</summary>
    public Task Ready => ready.Task;

    /// <summary>Number of cached objects.</summary>
    public int Count => current.Count;

    /// <summary>The cached object, or null.</summary>
    public T? Get(ObjectRef key) => current.TryGetValue(key, out var o) ? o : null;

    /// <summary>A snapshot of every cached object.</summary>
    public IReadOnlyList<T> List() => [.. current.Values];

    /// <summary>Applies one watcher event. Relists are buffered and swapped in whole at InitDone.</summary>
    public void Apply(WatcherEvent<T> ev)
    {
        switch (ev.Type)
        {
            case WatcherEventType.InitStarted:
                buffer = [];
                break;
            case WatcherEventType.InitApply:
                (buffer ??= [])[ObjectRef.From(ev.Object!)] = ev.Object!;
                break;
            case WatcherEventType.InitDone:
                current = new ConcurrentDictionary<ObjectRef, T>(buffer ?? []);
                buffer = null;
                ready.TrySetResult();
                break;
            case WatcherEventType.Apply:
                current[ObjectRef.From(ev.Object!)] = ev.Object!;
                break;
            case WatcherEventType.Delete:
                current.TryRemove(ObjectRef.From(ev.Object!), out _);
                break;
        }
    }
}

/// <summary>Feeds a watcher stream through a store while passing the events on (kube-rs <c>reflector</c>).</summary>
public static class Reflector
{
    /// <summary>Yields each event after applying it to <paramref name="store"/>.</summary>
    public static async IAsyncEnumerable<WatcherEvent<T>> Reflect<T>(this IAsyncEnumerable<WatcherEvent<T>> events, Store<T> store)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var ev in events)
        {
            store.Apply(ev);
            yield return ev;
        }
    }
}
