using k8s;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>
/// The thin adapter the runtime and the operator use over the package's <see cref="IKubernetes"/>: typed access keyed by
/// each type's [KubernetesEntity] attribute, get-or-null, and every failure as one <see cref="KubernetesApiException"/>.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The configuration's namespace (context or service account), or "default".</summary>
    string DefaultNamespace { get; }

    /// <summary>GET one object; null on 404. A null namespace means <see cref="DefaultNamespace"/> (ignored for cluster-scoped kinds).</summary>
    Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>LIST a namespace (or every namespace when <paramref name="ns"/> is null).</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>POST a new object; 409 AlreadyExists throws.</summary>
    Task<T> CreateAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT the object; its metadata.resourceVersion makes this a compare-and-swap (409 Conflict when stale).</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PATCH the object with a merge or JSON patch (to delete a field in a merge patch, build it as a JsonObject with a null value).</summary>
    Task<T> PatchAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>DELETE the object; 404 is not an error (the result says it was absent).</summary>
    Task<DeleteResult<T>> DeleteAsync<T>(string name, string? ns = null, V1DeleteOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT the status subresource.</summary>
    Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PATCH the status subresource.</summary>
    Task<T> PatchStatusAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>GET the scale subresource of a <typeparamref name="T"/>.</summary>
    Task<V1Scale> GetScaleAsync<T>(string name, string? ns, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PATCH the scale subresource of a <typeparamref name="T"/>.</summary>
    Task<V1Scale> PatchScaleAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// One watch request: yields events until the server ends the stream or the client-side guard
    /// (timeoutSeconds plus a margin) fires; errors (dropped connection, non-200) throw.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
