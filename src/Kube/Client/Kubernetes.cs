using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using PgReplica.Kube.Models;

namespace PgReplica.Kube.Client;

/// <summary>The REST client: typed CRUD, subresources and watch over one HttpClient.</summary>
public sealed class Kubernetes : IKubernetesClient, IDisposable
{
    private readonly HttpClient http;
    private readonly TokenSource token;
    private readonly TimeSpan requestTimeout;
    private readonly JsonSerializerOptions json;

    /// <summary>A client for <paramref name="config"/>; <paramref name="json"/> defaults to <see cref="KubernetesJson.Options"/>.</summary>
    public Kubernetes(KubernetesClientConfiguration config, JsonSerializerOptions? json = null)
    {
        Configuration = config;
        http = new HttpClient(KubernetesHttpHandler.Create(config)) { BaseAddress = config.Host, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("pgreplica-kube/1.0");
        token = new TokenSource(config.AccessToken, config.TokenFile);
        requestTimeout = config.RequestTimeout;
        this.json = json ?? KubernetesJson.Options;
    }

    /// <summary>The configuration this client was built from.</summary>
    public KubernetesClientConfiguration Configuration { get; }

    /// <inheritdoc />
    public string DefaultNamespace => Configuration.Namespace ?? "default";

    /// <inheritdoc />
    public async Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken ct = default)
        where T : class, IKubernetesObject
    {
        try
        {
            return await SendAsync<T>(HttpMethod.Get, EntityInfo.Of<T>().ObjectPath(name, NsFor<T>(ns)), null, ct);
        }
        catch (KubernetesException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task<KubernetesList<T>> ListAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<KubernetesList<T>>(HttpMethod.Get, EntityInfo.Of<T>().CollectionPath(ns) + Query(options, watch: false), null, ct);

    /// <inheritdoc />
    public Task<T> CreateAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Post, EntityInfo.Of<T>().CollectionPath(NsFor<T>(obj.Metadata.Namespace)), JsonBody(obj), ct);

    /// <inheritdoc />
    public Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Put, PathOf(obj), JsonBody(obj), ct);

    /// <inheritdoc />
    public Task<T> PatchAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Patch, EntityInfo.Of<T>().ObjectPath(name, NsFor<T>(ns)), PatchBody(patch), ct);

    /// <inheritdoc />
    public async Task<DeleteResult<T>> DeleteAsync<T>(string name, string? ns = null, DeleteOptions? options = null, CancellationToken ct = default)
        where T : class, IKubernetesObject
    {
        var path = EntityInfo.Of<T>().ObjectPath(name, NsFor<T>(ns));
        var body = options is null ? null : JsonBody(options);
        try
        {
            var text = await SendRawAsync(HttpMethod.Delete, path, body, ct);
            using var doc = JsonDocument.Parse(text);
            var isStatus = doc.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "Status";
            return isStatus
                ? new DeleteResult<T>(null, doc.RootElement.Deserialize<Status>(json))
                : new DeleteResult<T>(doc.RootElement.Deserialize<T>(json), null);
        }
        catch (KubernetesException e) when (e.IsNotFound)
        {
            return new DeleteResult<T>(null, e.Status);
        }
    }

    /// <inheritdoc />
    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Put, PathOf(obj) + "/status", JsonBody(obj), ct);

    /// <inheritdoc />
    public Task<T> PatchStatusAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<T>(HttpMethod.Patch, EntityInfo.Of<T>().ObjectPath(name, NsFor<T>(ns)) + "/status", PatchBody(patch), ct);

    /// <inheritdoc />
    public Task<Scale> GetScaleAsync<T>(string name, string? ns, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<Scale>(HttpMethod.Get, EntityInfo.Of<T>().ObjectPath(name, NsFor<T>(ns)) + "/scale", null, ct);

    /// <inheritdoc />
    public Task<Scale> PatchScaleAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default)
        where T : class, IKubernetesObject =>
        SendAsync<Scale>(HttpMethod.Patch, EntityInfo.Of<T>().ObjectPath(name, NsFor<T>(ns)) + "/scale", PatchBody(patch), ct);

    /// <inheritdoc />
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns = null, ListOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
        where T : class, IKubernetesObject
    {
        var path = EntityInfo.Of<T>().CollectionPath(ns) + Query(options, watch: true);

        // A server or proxy that stops talking without closing would hang the watch: give up a minute after its own timeout.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options?.TimeoutSeconds is int seconds)
        {
            guard.CancelAfter(TimeSpan.FromSeconds(seconds + 60));
        }

        using var request = NewRequest(HttpMethod.Get, path, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorFromAsync(response, guard.Token);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(guard.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.Length > 0)
            {
                yield return WatchEventParser.Parse<T>(line, json);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private string? NsFor<T>(string? ns) => EntityInfo.Of<T>().ClusterScoped ? null : ns ?? DefaultNamespace;

    private string PathOf<T>(T obj)
        where T : class, IKubernetesObject =>
        EntityInfo.Of<T>().ObjectPath(obj.Metadata.Name ?? throw new ArgumentException("metadata.name is required"), NsFor<T>(obj.Metadata.Namespace));

    private HttpContent JsonBody<TBody>(TBody body) =>
        new StringContent(JsonSerializer.Serialize(body, json), Encoding.UTF8, "application/json");

    private static StringContent PatchBody(KubernetesPatch patch)
    {
        var content = new StringContent(patch.Body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(patch.ContentType);
        return content;
    }

    private static string Query(ListOptions? o, bool watch)
    {
        var parts = new List<string>();
        if (watch)
        {
            parts.Add("watch=true");
            if (o?.AllowWatchBookmarks ?? true)
            {
                parts.Add("allowWatchBookmarks=true");
            }
        }

        void AddIf(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }

        AddIf("labelSelector", o?.LabelSelector);
        AddIf("fieldSelector", o?.FieldSelector);
        AddIf("resourceVersion", o?.ResourceVersion);
        AddIf("timeoutSeconds", o?.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private async Task<TResult> SendAsync<TResult>(HttpMethod method, string path, HttpContent? body, CancellationToken ct)
    {
        var text = await SendRawAsync(method, path, body, ct);
        return JsonSerializer.Deserialize<TResult>(text, json) ?? throw new InvalidDataException($"{method} {path}: empty body");
    }

    private async Task<string> SendRawAsync(HttpMethod method, string path, HttpContent? body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(requestTimeout);
        using var request = NewRequest(method, path, body);
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorFromAsync(response, timeout.Token);
        }

        return await response.Content.ReadAsStringAsync(timeout.Token);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path, HttpContent? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token.Current() is { Length: > 0 } bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    private async Task<KubernetesException> ErrorFromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        Status? status = null;
        try
        {
            status = JsonSerializer.Deserialize<Status>(text, json);
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's HTML page, say): synthesise one below.
        }

        if (status is null || status.Kind != "Status")
        {
            status = new Status { Outcome = "Failure", Message = text.Length > 500 ? text[..500] : text, Reason = response.ReasonPhrase };
        }

        status.Code ??= (int)response.StatusCode;

        return new KubernetesException(status);
    }
}
