using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>The type field of a watch event line.</summary>
public enum WatchEventType
{
    /// <summary>An object appeared.</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object went away.</summary>
    Deleted,

    /// <summary>Only metadata.resourceVersion is meaningful: progress marker.</summary>
    Bookmark,

    /// <summary>The object is a <see cref="Status"/>, e.g. 410 Expired.</summary>
    Error,
}

/// <summary>One decoded watch event: <c>{"type":…,"object":…}</c>. For Error, <see cref="Error"/> holds the Status.</summary>
public sealed class WatchEvent<T>
    where T : IKubernetesObject
{
    /// <summary>What happened.</summary>
    public WatchEventType Type { get; init; }

    /// <summary>The object (for Bookmark, only metadata.resourceVersion is set); null for Error.</summary>
    public T? Object { get; init; }

    /// <summary>The Status carried by an Error event.</summary>
    public Status? Error { get; init; }
}
