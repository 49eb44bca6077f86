using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// The sandbox's kube-proxy and endpoints controller: gives every Service a loopback ClusterIP (written to
/// spec.clusterIP/clusterIPs when unset), keeps an Endpoints object per Service with a selector, and runs a TCP proxy
/// on ClusterIP:port for each port that spreads new connections over the ready pods. Headless Services get no proxy.
/// </summary>
public sealed class ServiceProxies : IAsyncDisposable
{
    private readonly IObjectStore _store;
    private readonly ILogger _logger;
    private readonly LoopbackAddressPool _pool;
    private readonly Dictionary<string, TcpProxy> _proxies = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private IDisposable? _subscription;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the proxies; nothing listens until <see cref="StartAsync"/>.</summary>
    public ServiceProxies(IObjectStore store, ServiceProxyOptions? options = null, ILogger? logger = null)
    {
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        _pool = new LoopbackAddressPool((options ?? new ServiceProxyOptions()).ClusterAddressOctet);
    }

    /// <summary>Syncs once, then follows changes to Services and Pods.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        // Addresses stored by an earlier run stay theirs.
        foreach (var svc in _store.List(ResourceType.Services, null).Select(ServiceModel.Parse))
        {
            if (IPAddress.TryParse(svc.ClusterIp, out var ip) && _pool.Contains(ip))
            {
                _pool.Reserve(Key(svc), ip);
            }
        }

        _subscription = _store.Subscribe(e =>
        {
            if (e.Resource == ResourceType.Services || e.Resource == ResourceType.Pods)
            {
                // One pending "something changed" is enough: each sync reads everything afresh.
                _changes.Writer.TryWrite(true);
            }
        });
        _changes.Writer.TryWrite(true);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops every proxy (closing its connections) and stops following the store.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _subscription?.Dispose();
        _subscription = null;
        _changes.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var p in _proxies.Values)
        {
            await p.DisposeAsync().ConfigureAwait(false);
        }

        _proxies.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static string Key(ServiceModel svc) => $"{svc.Namespace}/{svc.Name}";

    private async Task LoopAsync()
    {
        await foreach (var _ in _changes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await SyncAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "service proxies failed to sync");
            }
        }
    }

    private async Task SyncAsync()
    {
        var services = _store.List(ResourceType.Services, null);
        var pods = _store.List(ResourceType.Pods, null);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in services)
        {
            var svc = ServiceModel.Parse(obj);
            if (svc.Type == "ExternalName")
            {
                continue;
            }

            if (string.IsNullOrEmpty(svc.ClusterIp))
            {
                svc = AssignClusterIp(obj, svc);
                if (svc is null)
                {
                    continue; // Changed meanwhile; the change brings another sync.
                }
            }

            ServiceEndpoints? endpoints = null;
            if (svc.Selector is { Count: > 0 })
            {
                endpoints = EndpointsBuilder.Build(svc, pods);
                WriteEndpoints(svc, endpoints.Subsets);
            }

            if (svc.Headless || !IPAddress.TryParse(svc.ClusterIp, out var clusterIp))
            {
                continue;
            }

            if (!clusterIp.ToString().StartsWith("127.", StringComparison.Ordinal))
            {
                _logger.LogWarning("service {Namespace}/{Service}: clusterIP {Ip} is not a loopback address; no proxy", svc.Namespace, svc.Name, clusterIp);
                continue;
            }

            foreach (var port in svc.Ports.Where(p => p.Protocol == "TCP"))
            {
                var key = $"{Key(svc)}/{clusterIp}:{port.Port}";
                wanted.Add(key);
                if (!_proxies.TryGetValue(key, out var proxy))
                {
                    try
                    {
                        proxy = new TcpProxy(new IPEndPoint(clusterIp, port.Port));
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        _logger.LogWarning(e, "service {Namespace}/{Service}: cannot listen on {Ip}:{Port}", svc.Namespace, svc.Name, clusterIp, port.Port);
                        continue;
                    }

                    proxy.Start();
                    _proxies[key] = proxy;
                }

                proxy.Backends = endpoints?.Backends.GetValueOrDefault(port.Port) ?? [];
            }
        }

        foreach (var key in _proxies.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            await _proxies[key].DisposeAsync().ConfigureAwait(false);
            _proxies.Remove(key);
        }

        RemoveOrphanEndpoints(services);
    }

    /// <summary>What the API server does at create time in a real cluster: allocate and store a ClusterIP.</summary>
    private ServiceModel? AssignClusterIp(JsonObject obj, ServiceModel svc)
    {
        var ip = _pool.AddressFor(Key(svc)).ToString();
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
        try
        {
            return ServiceModel.Parse(_store.Replace(ResourceType.Services, svc.Namespace, obj));
        }
        catch (StoreException e) when (e.Reason is "Conflict" or "NotFound")
        {
            return null;
        }
    }

    private void WriteEndpoints(ServiceModel svc, JsonArray subsets)
    {
        var current = _store.Get(ResourceType.Endpoints, svc.Namespace, svc.Name);
        var labels = svc.Labels?.DeepClone() as JsonObject ?? new JsonObject();
        if (current is not null
            && JsonNode.DeepEquals(current["subsets"] ?? new JsonArray(), subsets)
            && JsonNode.DeepEquals(current["metadata"]?["labels"] ?? new JsonObject(), labels))
        {
            return;
        }

        var obj = current ?? new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject { ["name"] = svc.Name },
        };
        obj["metadata"]!["labels"] = labels;
        if (subsets.Count > 0)
        {
            obj["subsets"] = subsets.DeepClone();
        }
        else
        {
            obj.Remove("subsets");
        }

        try
        {
            if (current is null)
            {
                _store.Create(ResourceType.Endpoints, svc.Namespace, obj);
            }
            else
            {
                _store.Replace(ResourceType.Endpoints, svc.Namespace, obj);
            }
        }
        catch (StoreException e)
        {
            // A concurrent writer; the next sync writes it again.
            _logger.LogDebug(e, "endpoints {Namespace}/{Service} not written", svc.Namespace, svc.Name);
            _changes.Writer.TryWrite(true);
        }
    }

    /// <summary>Endpoints of Services that are gone go too (the real controller does this; owner GC does not cover them).</summary>
    private void RemoveOrphanEndpoints(IReadOnlyList<JsonObject> services)
    {
        var existing = services.Select(s => $"{s["metadata"]?["namespace"]}/{s["metadata"]?["name"]}").ToHashSet(StringComparer.Ordinal);
        foreach (var ep in _store.List(ResourceType.Endpoints, null))
        {
            var ns = ep["metadata"]?["namespace"]?.ToString() ?? "default";
            var name = ep["metadata"]?["name"]?.ToString() ?? "";
            if (!existing.Contains($"{ns}/{name}"))
            {
                _store.Remove(ResourceType.Endpoints, ns, name);
                _pool.Release($"{ns}/{name}");
            }
        }
    }
}
