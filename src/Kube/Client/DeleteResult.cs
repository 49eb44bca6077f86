using k8s;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>What a DELETE answered: the object (deletion pending on finalizers) or a Status (gone, or already gone on 404).</summary>
public sealed record DeleteResult<T>(T? Object, V1Status? Status)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True when the object still exists with a deletionTimestamp, waiting on finalizers.</summary>
    public bool Pending => Object is not null;

    /// <summary>True when the server answered 404: nothing was there to delete.</summary>
    public bool WasAbsent => Status?.Code == 404;
}
