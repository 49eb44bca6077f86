using System.Diagnostics;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox;

/// <summary>
/// The whole sandbox: the object store (persisted under &lt;dir&gt;/state), the API server (its audit log in
/// &lt;dir&gt;/audit.log), the components that run pods and Services, and &lt;dir&gt;/kubeconfig.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly StoreStateFiles _stateFiles;
    private readonly ApiServer _api;
    private readonly List<ISandboxComponent> _components;
    private bool _stopped;

    private SandboxHost(InMemoryObjectStore store, StoreStateFiles stateFiles, ApiServer api, List<ISandboxComponent> components, string kubeconfigPath, TimeSpan startTime)
    {
        Store = store;
        _stateFiles = stateFiles;
        _api = api;
        _components = components;
        KubeconfigPath = kubeconfigPath;
        ApiStartTime = startTime;
    }

    /// <summary>The store every part shares.</summary>
    public InMemoryObjectStore Store { get; }

    /// <summary>API server URL, e.g. https://127.0.0.1:41234.</summary>
    public Uri ApiServerUrl => _api.Url;

    /// <summary>The CA and bearer token the API server's clients need (also in the kubeconfig).</summary>
    public ApiServerCredentials ApiCredentials => _api.Credentials;

    /// <summary>An HttpClient for the API server that trusts its CA and sends its token, for in-process callers.</summary>
    public HttpClient CreateApiHttpClient()
    {
        var http = new HttpClient(ApiCredentials.CreateTrustingHandler()) { BaseAddress = ApiServerUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiCredentials.Token);
        return http;
    }

    /// <summary>Path of the written kubeconfig.</summary>
    public string KubeconfigPath { get; }

    /// <summary>How long loading the state and starting the API server took.</summary>
    public TimeSpan ApiStartTime { get; }

    /// <summary>Faults on demand (partition, freeze, kill) against the sandbox's pods; null when it runs no node agent.</summary>
    public ISandboxFaults? Faults
    {
        get
        {
            lock (_components)
            {
                return _components.OfType<ISandboxFaults>().FirstOrDefault();
            }
        }
    }

    /// <summary>API semantics (finalizers, validation, garbage collection rules) without HTTP.</summary>
    public ObjectOperations Operations => _api.Operations;

    /// <summary>Starts the store, the API server, then each component; writes the kubeconfig.</summary>
    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Directory);
        var stateDir = Path.Combine(options.Directory, "state");
        if (options.Reset)
        {
            StoreStateFiles.Wipe(stateDir);
        }

        var store = new InMemoryObjectStore();
        var stateFiles = new StoreStateFiles(stateDir);
        stateFiles.LoadInto(store);
        Seed(store);
        var components = new List<ISandboxComponent>();
        // Logs and exec go to the given runtime, else to the first component that is one (the node agent).
        IPodRuntime? Runtime()
        {
            lock (components)
            {
                return options.PodRuntime ?? components.OfType<IPodRuntime>().FirstOrDefault();
            }
        }

        var credentials = ApiServerCredentials.LoadOrCreate(Path.Combine(options.Directory, "pki"));
        var api = await ApiServer.StartAsync(store, options.Port, Runtime, credentials, Path.Combine(options.Directory, "audit.log"), cancellationToken);
        var startTime = clock.Elapsed;
        var kubeconfig = Path.Combine(options.Directory, "kubeconfig");
        Kubeconfig.Write(kubeconfig, api.Url, credentials);
        var host = new SandboxHost(store, stateFiles, api, components, kubeconfig, startTime);
        try
        {
            foreach (var factory in options.Components)
            {
                var component = factory(store);
                lock (components)
                {
                    components.Add(component);
                }

                await component.StartAsync(cancellationToken);
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Registers a CRD (as kubectl apply would) and returns it as stored; an existing one is replaced.</summary>
    public JsonObject InstallCrd(JsonObject crd)
    {
        var r = Operations.Catalog.Find(ResourceType.CustomResourceDefinitions)!;
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (Store.Get(ResourceType.CustomResourceDefinitions, null, name) is { } existing)
        {
            var replacement = (JsonObject)crd.DeepClone();
            ((JsonObject)replacement["metadata"]!)["resourceVersion"] = existing["metadata"]!["resourceVersion"]!.DeepClone();
            return Operations.Update(r, null, name, replacement);
        }

        return Operations.Create(r, null, crd);
    }

    /// <summary>Stops the components (last first), then the API server.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        for (var i = _components.Count - 1; i >= 0; i--)
        {
            await _components[i].DisposeAsync();
        }

        await _api.DisposeAsync();
        _stateFiles.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    // What a fresh cluster has: the usual namespaces and one Ready node.
    private static void Seed(InMemoryObjectStore store)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            if (store.Get(ResourceType.Namespaces, null, ns) is null)
            {
                var created = store.Create(ResourceType.Namespaces, null, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Namespace",
                    ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
                });
                created["status"] = new JsonObject { ["phase"] = "Active" };
                store.ReplaceStatus(ResourceType.Namespaces, null, created);
            }
        }

        if (store.Get(ResourceType.Nodes, null, "sandbox") is null)
        {
            var node = store.Create(ResourceType.Nodes, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "sandbox",
                    ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = "sandbox", ["kubernetes.io/os"] = "linux" },
                },
            });
            node["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "the sandbox node agent runs pods as local processes",
                    ["lastHeartbeatTime"] = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow),
                    ["lastTransitionTime"] = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow),
                }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.32.0", ["operatingSystem"] = "linux", ["architecture"] = "amd64" },
            };
            store.ReplaceStatus(ResourceType.Nodes, null, node);
        }
    }
}
