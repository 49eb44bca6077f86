using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api.Strategies;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// The resources served right now, the built-ins plus whatever the stored CRDs define, each with the strategy its
/// writes follow (as kube-apiserver registers a strategy per resource). Thread-safe.
/// </summary>
public sealed class ResourceCatalog : IDisposable
{
    // The built-in kinds with rules of their own; every other built-in gets the plain ResourceStrategy.
    private static readonly Dictionary<ResourceType, Func<ApiResource, ResourceStrategy>> BuiltInStrategies = new()
    {
        [ResourceType.Pods] = r => new PodStrategy(r),
        [ResourceType.PersistentVolumeClaims] = r => new PersistentVolumeClaimStrategy(r),
        [ResourceType.Services] = r => new ServiceStrategy(r),
        [ResourceType.Secrets] = r => new SecretStrategy(r),
        [ResourceType.Namespaces] = r => new NamespaceStrategy(r),
        [ResourceType.CustomResourceDefinitions] = r => new CustomResourceDefinitionStrategy(r),
    };

    private static readonly IReadOnlyList<Served> BuiltIns = BuiltInResources.Resources
        .Select(r => new Served(r, BuiltInStrategies.TryGetValue(r.Type, out var make) ? make(r) : new ResourceStrategy(r)))
        .ToList();

    private readonly object _gate = new();
    private readonly Dictionary<string, List<Served>> _byCrd = new();
    private readonly IDisposable _subscription;
    private IReadOnlyList<Served> _served = BuiltIns;
    private IReadOnlyList<ApiResource> _all = BuiltInResources.Resources;

    /// <summary>Serves the CRDs in <paramref name="store"/> now and as they change.</summary>
    public ResourceCatalog(IObjectStore store)
    {
        _subscription = store.Subscribe(OnChange);
        foreach (var crd in store.List(ResourceType.CustomResourceDefinitions, null))
        {
            Put(crd);
        }
    }

    /// <summary>Every served resource.</summary>
    public IReadOnlyList<ApiResource> All
    {
        get { lock (_gate) { return _all; } }
    }

    /// <summary>Raised after the set of served resources changed.</summary>
    public event Action? Changed;

    /// <summary>The resource at group/version/plural, or null.</summary>
    public ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>Any served version of the resource type (for garbage collection and generic lookups).</summary>
    public ApiResource? Find(ResourceType type) => All.FirstOrDefault(r => r.Type == type);

    /// <summary>The resource whose objects have this apiVersion and kind, or null.</summary>
    public ApiResource? FindKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    /// <summary>The strategy for writes of <paramref name="r"/>.</summary>
    internal ResourceStrategy Strategy(ApiResource r)
    {
        IReadOnlyList<Served> served;
        lock (_gate)
        {
            served = _served;
        }

        // A definition changed or deleted since the request found its resource still gets that resource's rules.
        return served.FirstOrDefault(s => s.Resource == r)?.Strategy ?? (r.IsCustom ? new CustomResourceStrategy(r) : new ResourceStrategy(r));
    }

    /// <inheritdoc />
    public void Dispose() => _subscription.Dispose();

    private void OnChange(StoreEvent ev)
    {
        if (ev.Resource != ResourceType.CustomResourceDefinitions)
        {
            return;
        }

        if (ev.Type == StoreEventType.Deleted)
        {
            var name = ev.Object["metadata"]?["name"]?.GetValue<string>() ?? "";
            lock (_gate)
            {
                _byCrd.Remove(name);
                Rebuild();
            }

            Changed?.Invoke();
        }
        else
        {
            Put(ev.Object);
        }
    }

    private void Put(JsonObject crd)
    {
        IReadOnlyList<ApiResource> resources;
        try
        {
            resources = CrdResources.From(crd);
        }
        catch (ApiException)
        {
            return;
        }

        // Compiling the definition's rules takes a moment: outside the lock.
        var served = resources.Select(r => new Served(r, new CustomResourceStrategy(r))).ToList();
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        lock (_gate)
        {
            _byCrd[name] = served;
            Rebuild();
        }

        Changed?.Invoke();
    }

    private void Rebuild()
    {
        _served = BuiltIns.Concat(_byCrd.Values.SelectMany(v => v)).ToList();
        _all = _served.Select(s => s.Resource).ToList();
    }

    private sealed record Served(ApiResource Resource, ResourceStrategy Strategy);
}
