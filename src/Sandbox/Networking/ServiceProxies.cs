using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// The sandbox's kube-proxy and endpoints controller: gives every Service a loopback ClusterIP (written to
/// spec.clusterIP/clusterIPs when unset), keeps an Endpoints object per Service with a selector, and forwards each
/// ClusterIP:port to the ready pods in the kernel (<see cref="ServiceRules"/>, one nftables table for its range).
/// Headless Services get no forwarding.
/// </summary>
public sealed class ServiceProxies : IAsyncDisposable
{
    private readonly IObjectStore _store;
    private readonly ILogger _logger;
    private readonly LoopbackAddressPool _pool;
    private readonly byte _octet;
    private readonly KernelTable _table;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private IDisposable? _subscription;
    private RangeClaim? _claim;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the proxies; nothing is forwarded until <see cref="StartAsync"/>.</summary>
    public ServiceProxies(IObjectStore store, ServiceProxyOptions? options = null, ILogger? logger = null)
    {
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        _octet = (options ?? new ServiceProxyOptions()).ClusterAddressOctet;
        _pool = new LoopbackAddressPool(_octet);
        _table = new KernelTable("services", _octet);
    }

    /// <summary>Claims the ClusterIP range, removes rules a dead sandbox left, syncs once, then follows changes to Services and Pods.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _claim = await RangeClaim.TakeAsync(_octet, cancellationToken).ConfigureAwait(false);
        await KernelTable.RemoveAbandonedAsync().ConfigureAwait(false);
        await _table.DeleteAsync().ConfigureAwait(false);
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
    }

    /// <summary>Stops following the store and removes the kernel rules (open connections to pods run on, as after kube-proxy stops).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _subscription?.Dispose();
        _subscription = null;
        _changes.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_claim is not null)
        {
            await _table.DeleteAsync().ConfigureAwait(false);
            _claim.Dispose();
            _claim = null;
        }
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
        var forwarded = new List<ForwardedPort>();
        var endpointWrites = new List<(ServiceModel Service, JsonArray Subsets)>();
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
                endpointWrites.Add((svc, endpoints.Subsets));
            }

            if (svc.Headless || !IPAddress.TryParse(svc.ClusterIp, out var clusterIp))
            {
                continue;
            }

            if (!_pool.Contains(clusterIp))
            {
                _logger.LogWarning("service {Namespace}/{Service}: clusterIP {Ip} lies outside 127.{Octet}.0.0/16; not forwarded", svc.Namespace, svc.Name, clusterIp, _octet);
                continue;
            }

            foreach (var port in svc.Ports.Where(p => p.Protocol == "TCP"))
            {
                forwarded.Add(new ForwardedPort(clusterIp, port.Port, endpoints?.Backends.GetValueOrDefault(port.Port) ?? []));
            }
        }

        // Rules first: once Endpoints show an address, connections to the ClusterIP reach it.
        await _table.ApplyAsync(ServiceRules.Render(_octet, forwarded)).ConfigureAwait(false);
        foreach (var (svc, subsets) in endpointWrites)
        {
            WriteEndpoints(svc, subsets);
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
