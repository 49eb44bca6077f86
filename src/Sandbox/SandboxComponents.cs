using Microsoft.Extensions.Logging;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Node;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox;

/// <summary>The standard parts of a sandbox beside its API server: Service proxies, then the node agent.</summary>
public static class SandboxComponents
{
    /// <summary>Factories for SandboxOptions.Components; the node agent keeps pods and volumes under root/node.</summary>
    public static IReadOnlyList<Func<IObjectStore, ISandboxComponent>> NodeAndNetwork(string root, ILoggerFactory logging, Action<PodStepTiming>? stepTimed = null)
    {
        // Another sandbox on this machine may hold the default ranges: take free ones instead of colliding.
        var inUse = LoopbackRanges.InUse();
        var podOctet = LoopbackRanges.Choose(new NodeOptions { RootDirectory = root }.PodAddressOctet, inUse);
        var serviceOctet = LoopbackRanges.Choose(new ServiceProxyOptions().ClusterAddressOctet, inUse, podOctet);
        return
        [
            store => new ProxiesComponent(new ServiceProxies(store, new ServiceProxyOptions { ClusterAddressOctet = serviceOctet }, logging.CreateLogger<ServiceProxies>())),
            store => new NodeComponent(new NodeAgent(store, new NodeOptions { RootDirectory = Path.Combine(root, "node"), PodAddressOctet = podOctet, StepTimed = stepTimed }, logging.CreateLogger<NodeAgent>())),
        ];
    }

    /// <summary>The processes the node agent of a sandbox in that directory runs (every process in its pods' cgroups).</summary>
    public static IReadOnlyList<int> ProcessesOf(string root) =>
        Cgroups.Pids(Cgroups.Locate(Path.Combine(root, "node")).NodePath);

    private sealed class ProxiesComponent(ServiceProxies proxies) : ISandboxComponent
    {
        public Task StartAsync(CancellationToken cancellationToken) => proxies.StartAsync(cancellationToken);

        public ValueTask DisposeAsync() => proxies.DisposeAsync();
    }

    // Also the API server's IPodRuntime, so that kubectl logs and exec reach the node agent, and its faults.
    private sealed class NodeComponent(NodeAgent agent) : ISandboxComponent, IPodRuntime, ISandboxFaults
    {
        public Task StartAsync(CancellationToken cancellationToken) => agent.StartAsync(cancellationToken);

        public ValueTask DisposeAsync() => agent.DisposeAsync();

        public string? LogPath(string ns, string pod, string container, bool previous = false) => agent.LogPath(ns, pod, container, previous);

        public Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken) => agent.ExecAsync(request, cancellationToken);

        public Task PartitionAsync(string ns, string pod, string? peer, CancellationToken cancellationToken = default) =>
            Faults.PartitionAsync(ns, pod, peer, cancellationToken);

        public Task HealAsync(string ns, string? pod, CancellationToken cancellationToken = default) => Faults.HealAsync(ns, pod, cancellationToken);

        public Task FreezeAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default) =>
            Faults.FreezeAsync(ns, pod, container, cancellationToken);

        public Task ThawAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default) =>
            Faults.ThawAsync(ns, pod, container, cancellationToken);

        public Task KillAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default) =>
            Faults.KillAsync(ns, pod, container, cancellationToken);

        public IReadOnlyList<SandboxFault> List() => Faults.List();

        private ISandboxFaults Faults => agent.Faults ?? throw new SandboxFaultException(503, "the node agent is still starting");
    }
}
