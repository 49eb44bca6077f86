using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Store;
using PgReplica.Sandbox.Tests.Node;

namespace PgReplica.Sandbox.Tests.Networking;

public class ServiceProxiesTests
{
    [Fact]
    public async Task ClusterIpSpreadsNewConnectionsOverReadyPodsOnly()
    {
        var store = new InMemoryObjectStore();
        await using var proxies = new ServiceProxies(store, new ServiceProxyOptions { ClusterAddressOctet = 45 });
        await proxies.StartAsync();
        using var a = new NameServer(IPAddress.Parse("127.44.0.1"), 7000, "a");
        using var b = new NameServer(IPAddress.Parse("127.44.0.2"), 7000, "b");
        store.Create(ResourceType.Pods, "default", PodObject("a", "127.44.0.1", ready: true));
        store.Create(ResourceType.Pods, "default", PodObject("b", "127.44.0.2", ready: true));
        store.Create(ResourceType.Pods, "default", PodObject("unrelated", "127.44.0.3", ready: true, app: "other"));
        store.Create(ResourceType.Services, "default", JsonNode.Parse("""
            {"metadata":{"name":"web","labels":{"tier":"x"}},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":8080,"targetPort":"web"}]}}
            """)!.AsObject());

        await NodeEnvironment.WaitUntilAsync(() => Addresses(store, "web", "addresses").Count == 2, "two ready endpoints");
        var svc = store.Get(ResourceType.Services, "default", "web")!;
        var clusterIp = svc["spec"]!["clusterIP"]!.ToString();
        Assert.StartsWith("127.45.", clusterIp, StringComparison.Ordinal);
        Assert.Equal(clusterIp, svc["spec"]!["clusterIPs"]![0]!.ToString());
        var ep = store.Get(ResourceType.Endpoints, "default", "web")!;
        Assert.Equal(7000, (int)ep["subsets"]![0]!["ports"]![0]!["port"]!);
        Assert.Equal("http", ep["subsets"]![0]!["ports"]![0]!["name"]!.ToString());
        Assert.Equal("x", ep["metadata"]!["labels"]!["tier"]!.ToString());
        Assert.Equal(["127.44.0.1", "127.44.0.2"], Addresses(store, "web", "addresses"));

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await AskAsync(clusterIp, 8080));
        }

        Assert.Equal(2, answers.Count(x => x == "a"));
        Assert.Equal(2, answers.Count(x => x == "b"));

        // b turns unready: it moves to notReadyAddresses and gets no new connection.
        SetReady(store, "b", false);
        await NodeEnvironment.WaitUntilAsync(() => Addresses(store, "web", "notReadyAddresses").SequenceEqual(["127.44.0.2"]), "b not ready");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("a", await AskAsync(clusterIp, 8080));
        }

        // publishNotReadyAddresses: unready pods count as endpoints.
        svc = store.Get(ResourceType.Services, "default", "web")!;
        svc["spec"]!["publishNotReadyAddresses"] = true;
        store.Replace(ResourceType.Services, "default", svc);
        await NodeEnvironment.WaitUntilAsync(() => Addresses(store, "web", "addresses").Count == 2, "both published");
        var published = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            published.Add(await AskAsync(clusterIp, 8080));
        }

        Assert.Equal(["a", "b"], published.Order());

        // The Service goes: so do its Endpoints and its listener.
        store.Remove(ResourceType.Services, "default", "web");
        await NodeEnvironment.WaitUntilAsync(() => store.Get(ResourceType.Endpoints, "default", "web") is null, "endpoints removed");
        await Assert.ThrowsAnyAsync<SocketException>(() => AskAsync(clusterIp, 8080));
    }

    [Fact]
    public async Task HeadlessServiceGetsEndpointsButNoProxyAndKeepsAGivenClusterIp()
    {
        var store = new InMemoryObjectStore();
        await using var proxies = new ServiceProxies(store, new ServiceProxyOptions { ClusterAddressOctet = 46 });
        await proxies.StartAsync();
        store.Create(ResourceType.Pods, "default", PodObject("a", "127.44.1.1", ready: false));
        store.Create(ResourceType.Services, "default", JsonNode.Parse("""{"metadata":{"name":"h"},"spec":{"clusterIP":"None","selector":{"app":"web"},"ports":[{"port":5432}]}}""")!.AsObject());
        store.Create(ResourceType.Services, "default", JsonNode.Parse("""{"metadata":{"name":"fixed"},"spec":{"clusterIP":"127.46.5.5","selector":{"app":"web"},"ports":[{"port":5432}]}}""")!.AsObject());
        await NodeEnvironment.WaitUntilAsync(() => Addresses(store, "h", "notReadyAddresses").Count == 1, "headless endpoints");
        Assert.Equal("None", store.Get(ResourceType.Services, "default", "h")!["spec"]!["clusterIP"]!.ToString());
        Assert.Equal(5432, (int)store.Get(ResourceType.Endpoints, "default", "h")!["subsets"]![0]!["ports"]![0]!["port"]!);
        Assert.Equal("127.46.5.5", store.Get(ResourceType.Services, "default", "fixed")!["spec"]!["clusterIP"]!.ToString());
        // A ClusterIP port without a ready endpoint refuses connections, as kube-proxy's REJECT rule makes it.
        var refused = await Assert.ThrowsAnyAsync<SocketException>(() => AskAsync("127.46.5.5", 5432));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task ForwardingKeepsOneTcpConnectionFromClientToPodAndGoesWithTheProxies()
    {
        var store = new InMemoryObjectStore();
        var proxies = new ServiceProxies(store, new ServiceProxyOptions { ClusterAddressOctet = 54 });
        await proxies.StartAsync();
        using var pod = new TcpListener(IPAddress.Parse("127.44.2.1"), 7000);
        pod.Start();
        store.Create(ResourceType.Pods, "default", PodObject("a", "127.44.2.1", ready: true));
        store.Create(ResourceType.Services, "default", JsonNode.Parse("""{"metadata":{"name":"one"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":7000}]}}""")!.AsObject());
        await NodeEnvironment.WaitUntilAsync(() => Addresses(store, "one", "addresses").Count == 1, "one endpoint");
        var clusterIp = store.Get(ResourceType.Services, "default", "one")!["spec"]!["clusterIP"]!.ToString();

        // The pod's accepted socket has the client's own address and port as its peer: no proxy sits between them.
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(clusterIp, 80);
        using var accepted = await pod.AcceptSocketAsync();
        Assert.Equal(client.Client.LocalEndPoint, accepted.RemoteEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(clusterIp), 80), client.Client.RemoteEndPoint);

        // Stopping removes the table: the ClusterIP reaches nothing any more, and no rule of this range is left.
        await proxies.DisposeAsync();
        Assert.DoesNotContain("pgreplica_services_54", await NftCommand.TablesAsync());
    }

    private static List<string> Addresses(InMemoryObjectStore store, string service, string field) =>
        (store.Get(ResourceType.Endpoints, "default", service)?["subsets"] as JsonArray ?? new JsonArray())
            .SelectMany(s => s?[field] as JsonArray ?? new JsonArray())
            .Select(a => a!["ip"]!.ToString()).Order().ToList();

    private static JsonObject PodObject(string name, string ip, bool ready, string app = "web") => JsonNode.Parse($$$"""
        {"metadata":{"name":"{{{name}}}","labels":{"app":"{{{app}}}"}},
         "spec":{"nodeName":"sandbox","containers":[{"name":"c","image":"postgres","ports":[{"name":"web","containerPort":7000}]}]},
         "status":{"phase":"Running","podIP":"{{{ip}}}","conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}"}]}}
        """)!.AsObject();

    private static void SetReady(InMemoryObjectStore store, string pod, bool ready)
    {
        var p = store.Get(ResourceType.Pods, "default", pod)!;
        p["status"]!["conditions"]![0]!["status"] = ready ? "True" : "False";
        store.ReplaceStatus(ResourceType.Pods, "default", p);
    }

    private static async Task<string> AskAsync(string host, int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port);
        var stream = client.GetStream();
        await stream.WriteAsync("who?\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync();
        if (line is null)
        {
            throw new SocketException((int)SocketError.ConnectionReset);
        }

        return line;
    }

    /// <summary>A backend that answers each line with its name.</summary>
    private sealed class NameServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();

        public NameServer(IPAddress address, int port, string name)
        {
            _listener = new TcpListener(address, port);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient c;
                    try
                    {
                        c = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    _ = Task.Run(async () =>
                    {
                        using (c)
                        {
                            var s = c.GetStream();
                            var reader = new StreamReader(s);
                            while (await reader.ReadLineAsync() is not null)
                            {
                                await s.WriteAsync(Encoding.UTF8.GetBytes(name + "\n"));
                            }
                        }
                    });
                }
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
