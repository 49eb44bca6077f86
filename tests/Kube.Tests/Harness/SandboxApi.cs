using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using PgReplica.Kube.Client;
using PgReplica.Sandbox.Api;
using PgReplica.Sandbox.Store;

namespace PgReplica.Kube.Tests.Harness;

/// <summary>
/// The sandbox's real API server, in process, reached through KubernetesClient with a <see cref="FaultInjector"/> in the
/// client's HTTP pipeline: requests are recorded, and answers can be replaced by errors or cut off midway.
/// </summary>
public sealed class SandboxApi : IAsyncDisposable
{
    private readonly ApiServer server;
    private readonly ConcurrentBag<KubernetesApiClient> clients = [];

    private SandboxApi(InMemoryObjectStore store, ApiServer server)
    {
        Store = store;
        this.server = server;
    }

    /// <summary>The sandbox's object store (its resourceVersion is the cluster's).</summary>
    public InMemoryObjectStore Store { get; }

    /// <summary>Every request every client sent, as "METHOD /path?query".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Authorization headers as sent.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Watches from a resourceVersion below this get one ERROR 410 Expired event, as after an etcd compaction.</summary>
    public long CompactedBelow { get; set; }

    /// <summary>Request bodies by request line.</summary>
    public ConcurrentQueue<(string Request, string Body)> Bodies { get; } = new();

    /// <summary>An answer to give instead of the server's: (code, reason) or null to pass the request on.</summary>
    public Func<InjectedRequest, (int Code, string Reason)?>? Fault { get; set; }

    /// <summary>Runs before a request goes to the server (to hold it, say).</summary>
    public Func<InjectedRequest, Task>? BeforeHandling { get; set; }

    /// <summary>The cluster's current resourceVersion.</summary>
    public long ResourceVersion => Store.CurrentResourceVersion;

    /// <summary>Watch answers still streaming.</summary>
    public int OpenWatches => FaultInjector.OpenWatches(this);

    internal ConcurrentDictionary<CuttableStream, byte> Watches { get; } = new();

    /// <summary>Starts a sandbox API server keeping <paramref name="history"/> changes for watches, with the Thing CRD and namespaces default and other.</summary>
    public static async Task<SandboxApi> StartAsync(int history = 4096)
    {
        PgReplica.Sandbox.Api.WatchStream.BookmarkInterval = TimeSpan.FromMilliseconds(300);
        var store = new InMemoryObjectStore(history);
        foreach (var ns in new[] { "default", "other" })
        {
            store.Create(ResourceType.Namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns },
            });
        }

        store.Create(ResourceType.CustomResourceDefinitions, null, ThingCrd());
        var server = await ApiServer.StartAsync(store);
        return new SandboxApi(store, server);
    }

    /// <summary>The bearer token the sandbox's API server accepts.</summary>
    public string Token => server.Credentials.Token;

    /// <summary>A client (HTTPS, the server's CA, its token) through the fault injector; <paramref name="caller"/> tells clients apart in <see cref="Fault"/>.</summary>
    public KubernetesApiClient Client(string caller = "test", TimeSpan? watchGuardMargin = null)
    {
        var config = new KubernetesClientConfiguration
        {
            Host = server.Url.ToString(),
            AccessToken = server.Credentials.Token,
            SslCaCerts = [server.Credentials.CertificateAuthority],
            Namespace = "default",
        };
        var client = new KubernetesApiClient(new Kubernetes(config, new FaultInjector(this, caller)), "default")
        {
            WatchGuardMargin = watchGuardMargin ?? TimeSpan.FromSeconds(30),
        };
        clients.Add(client);
        return client;
    }

    /// <summary>Cuts every open watch answer, as a dropped connection would.</summary>
    public void DropWatches()
    {
        foreach (var stream in Watches.Keys)
        {
            stream.Cut();
        }
    }

    /// <summary>Requests containing <paramref name="contains"/>.</summary>
    public List<string> RequestsMatching(string contains) => Requests.Where(r => r.Contains(contains, StringComparison.Ordinal)).ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await server.DisposeAsync();
    }

    private static JsonObject ThingCrd()
    {
        var open = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = "things.example.io" },
            ["spec"] = new JsonObject
            {
                ["group"] = "example.io",
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject { ["plural"] = "things", ["singular"] = "thing", ["kind"] = "Thing", ["listKind"] = "ThingList" },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "v1",
                    ["served"] = true,
                    ["storage"] = true,
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject { ["spec"] = open.DeepClone(), ["status"] = open.DeepClone() },
                        },
                    },
                    ["subresources"] = new JsonObject
                    {
                        ["status"] = new JsonObject(),
                        ["scale"] = new JsonObject
                        {
                            ["specReplicasPath"] = ".spec.replicas",
                            ["statusReplicasPath"] = ".status.replicas",
                            ["labelSelectorPath"] = ".status.selector",
                        },
                    },
                }),
            },
        };
    }
}
