using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>What every pod worker of one node shares.</summary>
internal sealed class NodeContext(
    IObjectStore store,
    NodeOptions options,
    PostgresImage image,
    LoopbackAddressPool podAddresses,
    Cgroups cgroups,
    PodTraffic traffic,
    ILogger logger)
{
    /// <summary>The object store.</summary>
    public IObjectStore Store { get; } = store;

    /// <summary>Node settings.</summary>
    public NodeOptions Options { get; } = options;

    /// <summary>The PostgreSQL binaries behind every postgres image.</summary>
    public PostgresImage Image { get; } = image;

    /// <summary>Pod IPs.</summary>
    public LoopbackAddressPool PodAddresses { get; } = podAddresses;

    /// <summary>The node's cgroups.</summary>
    public Cgroups Cgroups { get; } = cgroups;

    /// <summary>The node's packet rules: which pod a connection comes from, and the partitions in force.</summary>
    public PodTraffic Traffic { get; } = traffic;

    /// <summary>Log sink.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>The node's address, reported as hostIP.</summary>
    public string HostIp => "127.0.0.1";

    /// <summary>Directory of per-pod socket directories; kept short because a socket path must fit in 107 bytes.</summary>
    public string SocketRoot { get; } = ChooseSocketRoot(options.RootDirectory);

    /// <summary>Service names and addresses for the pods' /etc/hosts.</summary>
    public Func<IReadOnlyList<ServiceAddress>> Services { get; set; } = () => [];

    /// <summary>Records an Event about a pod, as the kubelet does; failures to record are only logged.</summary>
    public void RecordEvent(PodModel pod, string type, string reason, string message)
    {
        try
        {
            var now = PodStatusBuilder.Format(Options.Time.GetUtcNow());
            Store.Create(ResourceType.Events, pod.Namespace, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = $"{pod.Name}.{Guid.NewGuid():N}"[..Math.Min(pod.Name.Length + 17, 253)] },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["namespace"] = pod.Namespace,
                    ["name"] = pod.Name,
                    ["uid"] = pod.Uid,
                },
                ["reason"] = reason,
                ["message"] = message,
                ["type"] = type,
                ["count"] = 1,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = Options.NodeName },
                ["reportingComponent"] = "kubelet",
                ["reportingInstance"] = Options.NodeName,
            });
        }
        catch (Exception e) when (e is StoreException or InvalidOperationException)
        {
            Logger.LogDebug(e, "could not record event {Reason} for pod {Namespace}/{Pod}", reason, pod.Namespace, pod.Name);
        }
    }

    private static string ChooseSocketRoot(string root)
    {
        var candidate = Path.Combine(root, "run");
        // "/127.10.255.254/.s.PGSQL.65535" is 30 bytes.
        if (candidate.Length + 30 < 100)
        {
            return candidate;
        }

        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(root)))[..12].ToLowerInvariant();
        return Path.Combine("/tmp", "pgreplica-sock-" + hash);
    }
}
