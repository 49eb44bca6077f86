using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>What a <see cref="Watcher{T}"/> reports (kube-rs <c>watcher::Event</c>).</summary>
public enum WatcherEventType
{
    /// <summary>A (re)list begins; a store should start a fresh buffer.</summary>
    InitStarted,

    /// <summary>One object of the (re)list.</summary>
    InitApply,

    /// <summary>The (re)list is complete; a store should swap in the buffer.</summary>
    InitDone,

    /// <summary>An object was added or changed.</summary>
    Apply,

    /// <summary>An object was deleted (the object is its last known state).</summary>
    Delete,
}

/// <summary>One watcher event; <see cref="Object"/> is null for InitStarted and InitDone.</summary>
public sealed record WatcherEvent<T>(WatcherEventType Type, T? Object)
    where T : class, IKubernetesObject<V1ObjectMeta>;
