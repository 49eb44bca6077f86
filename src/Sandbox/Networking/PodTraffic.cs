using System.Net;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// The node's kernel rules about pod traffic (<see cref="PodTrafficRules"/>), in one nftables table for the pod
/// range: the pods that run, and the partitions faults impose. Claims the range while it lives.
/// </summary>
internal sealed class PodTraffic : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly byte _octet;
    private readonly KernelTable _table;
    private readonly Dictionary<IPAddress, PodIdentity> _pods = new();
    private readonly HashSet<Partition> _partitions = new();
    private RangeClaim? _claim;

    /// <summary>Rules for the pods of 127.octet.0.0/16; nothing is in force before <see cref="StartAsync"/>.</summary>
    public PodTraffic(byte octet)
    {
        _octet = octet;
        _table = new KernelTable("pods", octet);
    }

    /// <summary>Claims the range, removes rules of dead sandboxes, installs the empty table.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _claim = await RangeClaim.TakeAsync(_octet, cancellationToken).ConfigureAwait(false);
        await KernelTable.RemoveAbandonedAsync().ConfigureAwait(false);
        await ApplyAsync().ConfigureAwait(false);
    }

    /// <summary>A pod's processes are about to start: its new connections get its mark from now on.</summary>
    public Task AddPodAsync(PodIdentity pod)
    {
        lock (_gate)
        {
            _pods[pod.Ip] = pod;
        }

        return ApplyAsync();
    }

    /// <summary>A pod is gone (before its cgroup goes: a rule may only name a cgroup that exists).</summary>
    public Task RemovePodAsync(IPAddress ip)
    {
        lock (_gate)
        {
            _pods.Remove(ip);
        }

        return ApplyAsync();
    }

    /// <summary>Puts exactly these partitions in force (the fault interface keeps the list).</summary>
    public Task SetPartitionsAsync(IEnumerable<Partition> partitions)
    {
        lock (_gate)
        {
            _partitions.Clear();
            _partitions.UnionWith(partitions);
        }

        return ApplyAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_claim is not null)
        {
            await _table.DeleteAsync().ConfigureAwait(false);
            _claim.Dispose();
            _claim = null;
        }
    }

    private Task ApplyAsync() => _table.ApplyAsync(() =>
    {
        lock (_gate)
        {
            // A cgroup removed meanwhile cannot be named: its pod is on its way out.
            return PodTrafficRules.Render(_octet, _pods.Values.Where(p => Directory.Exists(Path.Combine("/sys/fs/cgroup", p.CgroupPath))), _partitions);
        }
    });
}
