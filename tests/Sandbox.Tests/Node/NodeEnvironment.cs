using System.Diagnostics;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Node;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

/// <summary>A store, a running node agent (and optionally the Service proxies) on a fresh temp root; cleaned up on dispose.</summary>
public sealed class NodeEnvironment : IAsyncDisposable
{
    private NodeEnvironment(string root, InMemoryObjectStore store, NodeAgent agent, ServiceProxies? proxies)
    {
        Root = root;
        Store = store;
        Agent = agent;
        Proxies = proxies;
    }

    /// <summary>The node's root directory.</summary>
    public string Root { get; }

    /// <summary>The object store.</summary>
    public InMemoryObjectStore Store { get; }

    /// <summary>The node agent.</summary>
    public NodeAgent Agent { get; }

    /// <summary>The Service proxies, when asked for.</summary>
    public ServiceProxies? Proxies { get; }

    /// <summary>Starts an agent (and proxies) on a new temp root. Distinct octets keep parallel test classes apart.</summary>
    public static async Task<NodeEnvironment> StartAsync(byte podOctet, byte serviceOctet = 0, string? root = null, InMemoryObjectStore? store = null, Action<PodStepTiming>? stepTimed = null)
    {
        root ??= Path.Combine("/tmp", "pgr-node-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        store ??= new InMemoryObjectStore();
        var agent = new NodeAgent(store, new NodeOptions
        {
            RootDirectory = root,
            PodAddressOctet = podOctet,
            InitialRestartBackOff = TimeSpan.FromMilliseconds(500),
            StepTimed = stepTimed,
        });
        ServiceProxies? proxies = null;
        if (serviceOctet != 0)
        {
            proxies = new ServiceProxies(store, new ServiceProxyOptions { ClusterAddressOctet = serviceOctet });
            await proxies.StartAsync();
        }

        await agent.StartAsync();
        return new NodeEnvironment(root, store, agent, proxies);
    }

    /// <summary>Stores a pod given as JSON text.</summary>
    public JsonObject CreatePod(string json, string ns = "default") =>
        Store.Create(ResourceType.Pods, ns, JsonNode.Parse(json)!.AsObject());

    /// <summary>Stores any object given as JSON text.</summary>
    public JsonObject Create(ResourceType type, string json, string ns = "default") =>
        Store.Create(type, ns, JsonNode.Parse(json)!.AsObject());

    /// <summary>The pod, or null.</summary>
    public JsonObject? Pod(string name, string ns = "default") => Store.Get(ResourceType.Pods, ns, name);

    /// <summary>Polls until the condition holds for the pod; fails with the pod's last state after the timeout.</summary>
    public async Task<JsonObject> WaitForPodAsync(string name, Func<JsonObject, bool> condition, int seconds = 60, string ns = "default")
    {
        var sw = Stopwatch.StartNew();
        JsonObject? last = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = Pod(name, ns);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"pod {name} did not reach the expected state in {seconds}s; last: {last?.ToJsonString()}\nlogs: {Logs(name, ns)}");
    }

    /// <summary>Polls until the condition holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"timed out waiting for {what}");
    }

    /// <summary>True when the pod's Ready condition is True.</summary>
    public static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray cs && cs.Any(c => c?["type"]?.ToString() == "Ready" && c?["status"]?.ToString() == "True");

    /// <summary>The named container's status entry.</summary>
    public static JsonObject? ContainerStatus(JsonObject pod, string container, bool init = false) =>
        (pod["status"]?[init ? "initContainerStatuses" : "containerStatuses"] as JsonArray)?
            .OfType<JsonObject>().FirstOrDefault(c => c["name"]?.ToString() == container);

    /// <summary>Every container log of the pod, for failure messages.</summary>
    public string Logs(string pod, string ns = "default")
    {
        var dir = Directory.EnumerateDirectories(Path.Combine(Root, "pods"), $"{ns}_{pod}_*").FirstOrDefault();
        if (dir is null)
        {
            return "(no pod directory)";
        }

        return string.Join("\n", Directory.EnumerateFiles(dir, "*.log", SearchOption.AllDirectories)
            .Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
    }

    /// <summary>Pids of the processes the node agent on that root runs: every process in its cgroups.</summary>
    public static IReadOnlyList<int> ProcessesOf(string root) => Cgroups.Pids(Cgroups.Locate(root).NodePath);

    /// <summary>Loop devices whose backing file lies under the root (none once the node stopped or the claims went).</summary>
    public static IReadOnlyList<string> LoopDevicesOf(string root) =>
        Directory.GetFileSystemEntries("/sys/block", "loop*")
            .Select(d => Path.Combine(d, "loop", "backing_file"))
            .Where(f => File.Exists(f) && File.ReadAllText(f).Trim().StartsWith(root + "/", StringComparison.Ordinal))
            .ToList();

    /// <summary>Stops the agent and proxies but keeps the root, as a sandbox that shuts down does.</summary>
    public async Task StopKeepingRootAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Agent.StopAsync(timeout.Token);
        if (Proxies is not null)
        {
            await Proxies.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopKeepingRootAsync();

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
