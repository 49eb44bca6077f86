using System.Net;
using Microsoft.Extensions.Logging;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// The node's side of <see cref="ISandboxFaults"/>: partitions become kernel rules (<see cref="PodTraffic"/>), a
/// freeze the container cgroup's freezer, a kill a SIGKILL to the container's main process.
/// </summary>
internal sealed class NodeFaults(NodeContext ctx, PodTraffic traffic, Func<string, string, PodWorker?> worker) : ISandboxFaults
{
    /// <summary>The peer name of a partition from everything outside the cluster.</summary>
    public const string Operator = "operator";

    private readonly object _gate = new();
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly Dictionary<Partition, SandboxFault> _partitions = new();

    /// <inheritdoc />
    public async Task PartitionAsync(string ns, string pod, string? peer, CancellationToken cancellationToken = default)
    {
        var cut = new Partition(Address(ns, pod), peer is null or Operator ? null : Address(ns, peer));
        if (cut.Pod.Equals(cut.Peer))
        {
            throw new SandboxFaultException(400, $"pod {ns}/{pod} cannot be cut off from itself");
        }

        await SetAsync(() => _partitions[cut] = new SandboxFault("partition", ns, pod, peer ?? Operator)).ConfigureAwait(false);
        ctx.Logger.LogWarning("fault: pod {Namespace}/{Pod} cut off from {Peer}", ns, pod, peer ?? Operator);
    }

    /// <inheritdoc />
    public async Task HealAsync(string ns, string? pod, CancellationToken cancellationToken = default)
    {
        // By name, so that the partitions of a pod deleted meanwhile can still be healed.
        await SetAsync(() =>
        {
            foreach (var (cut, fault) in _partitions.Where(p => pod is null || (p.Value.Namespace == ns && (p.Value.Pod == pod || p.Value.Peer == pod))).ToList())
            {
                _partitions.Remove(cut);
            }
        }).ConfigureAwait(false);
        ctx.Logger.LogWarning("fault: partitions of {Pod} healed", pod is null ? "every pod" : $"{ns}/{pod}");
    }

    /// <inheritdoc />
    public Task FreezeAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default)
    {
        var (cgroup, name, _) = Running(ns, pod, container);
        Cgroups.Freeze(cgroup, true);
        ctx.Logger.LogWarning("fault: container {Container} of pod {Namespace}/{Pod} frozen", name, ns, pod);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ThawAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default)
    {
        var (cgroup, name, _) = Running(ns, pod, container);
        Cgroups.Freeze(cgroup, false);
        ctx.Logger.LogWarning("fault: container {Container} of pod {Namespace}/{Pod} thawed", name, ns, pod);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task KillAsync(string ns, string pod, string? container, CancellationToken cancellationToken = default)
    {
        var (_, name, pid) = Running(ns, pod, container);
        UnixSignal.Send(pid, UnixSignal.Kill);
        ctx.Logger.LogWarning("fault: main process {Pid} of container {Container} of pod {Namespace}/{Pod} killed", pid, name, ns, pod);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IReadOnlyList<SandboxFault> List()
    {
        List<SandboxFault> result;
        lock (_gate)
        {
            result = _partitions.Values.ToList();
        }

        foreach (var pod in ctx.Store.List(ResourceType.Pods, null).Select(PodModel.Parse))
        {
            if (worker(pod.Namespace, pod.Name) is { } w)
            {
                result.AddRange(w.Pod.Containers.Where(c => Cgroups.Frozen(w.Sandbox.ContainerCgroup(c.Name)))
                    .Select(c => new SandboxFault("frozen", pod.Namespace, pod.Name, Container: c.Name)));
            }
        }

        return result.OrderBy(f => f.Namespace, StringComparer.Ordinal).ThenBy(f => f.Pod, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal).ToList();
    }

    // The partitions change and the kernel rules follow, one change at a time.
    private async Task SetAsync(Action change)
    {
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            List<Partition> cuts;
            lock (_gate)
            {
                change();
                cuts = _partitions.Keys.ToList();
            }

            await traffic.SetPartitionsAsync(cuts).ConfigureAwait(false);
        }
        finally
        {
            _applying.Release();
        }
    }

    // Pod IPs are sticky per name while the node runs, so a partition outlives restarts of the pod it names.
    private IPAddress Address(string ns, string pod)
    {
        if (ctx.Store.Get(ResourceType.Pods, ns, pod) is null)
        {
            throw new SandboxFaultException(404, $"pods \"{pod}\" not found in namespace {ns}");
        }

        return ctx.PodAddresses.AddressFor($"{ns}/{pod}");
    }

    private (string Cgroup, string Container, int Pid) Running(string ns, string pod, string? container)
    {
        var w = worker(ns, pod) ?? throw new SandboxFaultException(ctx.Store.Get(ResourceType.Pods, ns, pod) is null ? 404 : 409,
            $"pod {ns}/{pod} is not running on this node");
        var (name, pid) = w.MainProcess(container)
            ?? throw new SandboxFaultException(409, $"container {container ?? "(default)"} of pod {ns}/{pod} is not running");
        return (w.Sandbox.ContainerCgroup(name), name, pid);
    }
}
