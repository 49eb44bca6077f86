using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>The resources served right now: the built-ins plus whatever the stored CRDs define. Thread-safe.</summary>
public sealed class ResourceCatalog : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<ApiResource>> _byCrd = new();
    private readonly IDisposable _subscription;
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

        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        lock (_gate)
        {
            _byCrd[name] = resources.ToList();
            Rebuild();
        }

        Changed?.Invoke();
    }

    private void Rebuild() => _all = BuiltInResources.Resources.Concat(_byCrd.Values.SelectMany(v => v)).ToList();
}
