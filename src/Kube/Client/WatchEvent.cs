using k8s;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>One decoded watch event. For <see cref="WatchEventType.Error"/>, <see cref="Error"/> holds the Status.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Error = null)
    where T : IKubernetesObject<V1ObjectMeta>;
