using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>
/// <see cref="IKubernetesClient"/> over the package's <see cref="IKubernetes"/>. Every kind goes through the package's
/// CustomObjects operations, which build <c>/api/v1/…</c> for the core group and <c>/apis/g/v/…</c> otherwise.
/// </summary>
public sealed class KubernetesApiClient(IKubernetes kubernetes, string? defaultNamespace = null) : IKubernetesClient, IDisposable
{
    /// <summary>How long past its <c>timeoutSeconds</c> a watch may stay open before the client ends it (a server that never answers).</summary>
    public TimeSpan WatchGuardMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A client for <paramref name="config"/> (kubeconfig or in-cluster, as the package loads it).</summary>
    public KubernetesApiClient(KubernetesClientConfiguration config)
        : this(new Kubernetes(config), config.Namespace)
    {
    }

    /// <summary>The package's client underneath.</summary>
    public IKubernetes Api => kubernetes;

    /// <inheritdoc />
    public string DefaultNamespace { get; } = string.IsNullOrEmpty(defaultNamespace) ? "default" : defaultNamespace;

    /// <inheritdoc />
    public async Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            var e = EntityInfo.Of<T>();
            return await Call(() => e.ClusterScoped
                ? kubernetes.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync<T>(e.Group, e.Version, e.Plural, name, cancellationToken: ct)
                : kubernetes.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(e.Group, e.Version, NsFor(ns), e.Plural, name, cancellationToken: ct));
        }
        catch (KubernetesApiException x) when (x.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task<KubernetesList<T>> ListAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(() => e.ClusterScoped || ns is null
            ? kubernetes.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(e.Group, e.Version, e.Plural,
                fieldSelector: options?.FieldSelector, labelSelector: options?.LabelSelector, resourceVersion: options?.ResourceVersion, cancellationToken: ct)
            : kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(e.Group, e.Version, ns, e.Plural,
                fieldSelector: options?.FieldSelector, labelSelector: options?.LabelSelector, resourceVersion: options?.ResourceVersion, cancellationToken: ct));
    }

    /// <inheritdoc />
    public Task<T> CreateAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = Typed(obj);
        return Call(() => e.ClusterScoped
            ? kubernetes.CustomObjects.CreateClusterCustomObjectWithHttpMessagesAsync<T>(obj, e.Group, e.Version, e.Plural, cancellationToken: ct)
            : kubernetes.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, e.Group, e.Version, NsFor(obj.Metadata.NamespaceProperty), e.Plural, cancellationToken: ct));
    }

    /// <inheritdoc />
    public Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = Typed(obj);
        return Call(() => e.ClusterScoped
            ? kubernetes.CustomObjects.ReplaceClusterCustomObjectWithHttpMessagesAsync<T>(obj, e.Group, e.Version, e.Plural, obj.Metadata.Name, cancellationToken: ct)
            : kubernetes.CustomObjects.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, e.Group, e.Version, NsFor(obj.Metadata.NamespaceProperty), e.Plural, obj.Metadata.Name, cancellationToken: ct));
    }

    /// <inheritdoc />
    public Task<T> PatchAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(() => e.ClusterScoped
            ? kubernetes.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync<T>(patch.ToV1Patch(), e.Group, e.Version, e.Plural, name, cancellationToken: ct)
            : kubernetes.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<T>(patch.ToV1Patch(), e.Group, e.Version, NsFor(ns), e.Plural, name, cancellationToken: ct));
    }

    /// <inheritdoc />
    public async Task<DeleteResult<T>> DeleteAsync<T>(string name, string? ns = null, V1DeleteOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        try
        {
            var answer = await Call(() => e.ClusterScoped
                ? kubernetes.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync<JsonElement>(e.Group, e.Version, e.Plural, name, body: options, cancellationToken: ct)
                : kubernetes.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(e.Group, e.Version, NsFor(ns), e.Plural, name, body: options, cancellationToken: ct));
            var isStatus = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("kind", out var kind) && kind.GetString() == "Status";
            return isStatus
                ? new DeleteResult<T>(null, KubernetesJson.Deserialize<V1Status>(answer))
                : new DeleteResult<T>(KubernetesJson.Deserialize<T>(answer), null);
        }
        catch (KubernetesApiException x) when (x.IsNotFound)
        {
            return new DeleteResult<T>(null, x.Status);
        }
    }

    /// <inheritdoc />
    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = Typed(obj);
        return Call(() => e.ClusterScoped
            ? kubernetes.CustomObjects.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<T>(obj, e.Group, e.Version, e.Plural, obj.Metadata.Name, cancellationToken: ct)
            : kubernetes.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(obj, e.Group, e.Version, NsFor(obj.Metadata.NamespaceProperty), e.Plural, obj.Metadata.Name, cancellationToken: ct));
    }

    /// <inheritdoc />
    public Task<T> PatchStatusAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(() => e.ClusterScoped
            ? kubernetes.CustomObjects.PatchClusterCustomObjectStatusWithHttpMessagesAsync<T>(patch.ToV1Patch(), e.Group, e.Version, e.Plural, name, cancellationToken: ct)
            : kubernetes.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(patch.ToV1Patch(), e.Group, e.Version, NsFor(ns), e.Plural, name, cancellationToken: ct));
    }

    /// <inheritdoc />
    public Task<V1Scale> GetScaleAsync<T>(string name, string? ns, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(() => kubernetes.CustomObjects.GetNamespacedCustomObjectScaleWithHttpMessagesAsync<V1Scale>(e.Group, e.Version, NsFor(ns), e.Plural, name, cancellationToken: ct));
    }

    /// <inheritdoc />
    public Task<V1Scale> PatchScaleAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(() => kubernetes.CustomObjects.PatchNamespacedCustomObjectScaleWithHttpMessagesAsync<V1Scale>(patch.ToV1Patch(), e.Group, e.Version, NsFor(ns), e.Plural, name, cancellationToken: ct));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns = null, ListOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        var timeout = options?.TimeoutSeconds ?? 290;

        // The package's watch answers only once the first line arrives and sets no timeout of its own: bound the
        // whole request by the server-side timeout plus a margin, and end the stream quietly when that guard fires.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(TimeSpan.FromSeconds(timeout) + WatchGuardMargin);
        var response = e.ClusterScoped || ns is null
            ? kubernetes.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<object>(e.Group, e.Version, e.Plural,
                allowWatchBookmarks: options?.AllowWatchBookmarks, fieldSelector: options?.FieldSelector, labelSelector: options?.LabelSelector,
                resourceVersion: options?.ResourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: guard.Token)
            : kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<object>(e.Group, e.Version, ns, e.Plural,
                allowWatchBookmarks: options?.AllowWatchBookmarks, fieldSelector: options?.FieldSelector, labelSelector: options?.LabelSelector,
                resourceVersion: options?.ResourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: guard.Token);

        // The package reports an in-stream ERROR Status through onError only; keep it and hand it on as an Error event.
        Exception? streamError = null;
        await using var events = WatchStream.Of<T>(response, x => streamError ??= x, guard.Token).GetAsyncEnumerator(guard.Token);
        while (true)
        {
            (WatchEventType Type, T Object) current;
            try
            {
                if (!await events.MoveNextAsync())
                {
                    break;
                }

                current = events.Current;
            }
            catch (OperationCanceledException) when (guard.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                yield break;
            }
            catch (HttpOperationException x)
            {
                throw Map(x);
            }

            if (streamError is not null)
            {
                break;
            }

            yield return new WatchEvent<T>(current.Type, current.Object);
        }

        switch (streamError)
        {
            case null:
                yield break;
            case KubernetesException { Status: not null } k:
                yield return new WatchEvent<T>(WatchEventType.Error, default, k.Status);
                yield break;
            default:
                throw streamError;
        }
    }

    /// <inheritdoc />
    public void Dispose() => kubernetes.Dispose();

    /// <summary>Runs one call and maps the package's failures to <see cref="KubernetesApiException"/>.</summary>
    private static async Task<TBody> Call<TBody>(Func<Task<HttpOperationResponse<TBody>>> call)
    {
        try
        {
            using var response = await call();
            return response.Body;
        }
        catch (HttpOperationException x)
        {
            throw Map(x);
        }
    }

    private static KubernetesApiException Map(HttpOperationException x)
    {
        var code = (int)(x.Response?.StatusCode ?? HttpStatusCode.InternalServerError);
        V1Status? status = null;
        try
        {
            status = string.IsNullOrEmpty(x.Response?.Content) ? null : KubernetesJson.Deserialize<V1Status>(x.Response.Content);
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's HTML page, say): synthesise one below.
        }

        if (status?.Kind != "Status")
        {
            status = new V1Status { Code = code, Reason = x.Response?.ReasonPhrase, Message = x.Response?.Content, Status = "Failure" };
        }

        status.Code ??= code;
        return new KubernetesApiException(status, x);
    }

    /// <summary>The package's models start without apiVersion and kind; fill them from the type, as kubectl sends them.</summary>
    private static EntityInfo Typed<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        if (string.IsNullOrEmpty(obj.ApiVersion)) obj.ApiVersion = e.ApiVersion;
        if (string.IsNullOrEmpty(obj.Kind)) obj.Kind = e.Kind;
        return e;
    }

    private string NsFor(string? ns) => string.IsNullOrEmpty(ns) ? DefaultNamespace : ns;
}
