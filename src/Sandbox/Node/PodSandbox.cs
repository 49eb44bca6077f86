using System.Net;
using Microsoft.Extensions.Logging;
using PgReplica.Sandbox.Networking;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// What a pod's containers share, as the CRI's pod sandbox: the pod directory (logs, launch scripts, emptyDirs,
/// Secret files), its <c>postgres</c> wrapper, its unix socket directory, its /etc/hosts, its address and its
/// cgroup. Pods reach all of it through bind mounts at container paths, never by its host path, so the sandbox
/// works from a directory the run-as user cannot enter.
/// </summary>
internal sealed class PodSandbox
{
    private readonly NodeContext _ctx;
    private readonly object _hostsGate = new();
    private string? _lastHosts;

    /// <summary>The sandbox of the pod (nothing is created yet).</summary>
    public PodSandbox(NodeContext ctx, PodModel pod)
    {
        _ctx = ctx;
        Pod = pod;
        PodIp = ctx.PodAddresses.AddressFor($"{pod.Namespace}/{pod.Name}").ToString();
        var key = $"{pod.Namespace}_{pod.Name}_{pod.Uid}";
        Directory = Path.Combine(ctx.Options.RootDirectory, "pods", key);
        SocketDirectory = Path.Combine(ctx.SocketRoot, PodIp);
        Cgroup = ctx.Cgroups.PodPath(key);
    }

    /// <summary>The pod.</summary>
    public PodModel Pod { get; }

    /// <summary>The pod's loopback address.</summary>
    public string PodIp { get; }

    /// <summary>&lt;root&gt;/pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;.</summary>
    public string Directory { get; }

    /// <summary>The pod's unix socket directory on the host, mounted at /run/postgresql in its containers.</summary>
    public string SocketDirectory { get; }

    /// <summary>The pod's cgroup; each container has one below it.</summary>
    public string Cgroup { get; }

    /// <summary>spec.hostname, else the pod name; at most 63 characters, as the kubelet truncates longer names.</summary>
    public string Hostname => (Pod.Hostname ?? Pod.Name) is var h && h.Length <= 63 ? h : h[..63].TrimEnd('-', '.');

    /// <summary>The pod's bin directory: mounted over /usr/local/bin, first on PATH, where its postgres wrapper is.</summary>
    public string BinDirectory => Path.Combine(Directory, "bin");

    /// <summary>The pod's /etc/hosts on the host.</summary>
    public string HostsPath => Path.Combine(Directory, "etc-hosts");

    /// <summary>A container's cgroup.</summary>
    public string ContainerCgroup(string container) => Path.Combine(Cgroup, container);

    /// <summary>A container's log directory (one file per run).</summary>
    public string LogDirectory(string container) => Path.Combine(Directory, container);

    /// <summary>Creates the directories, the postgres wrapper, the socket directory, /etc/hosts and the cgroup.</summary>
    public void Create()
    {
        var open = (UnixFileMode)0x1ED; // 0755
        System.IO.Directory.CreateDirectory(Directory);
        FileModes.Set(Directory, open);
        System.IO.Directory.CreateDirectory(BinDirectory);
        var wrapper = Path.Combine(BinDirectory, "postgres");
        File.WriteAllText(wrapper, LaunchScript.PostgresWrapper(Path.Combine(_ctx.Image.BinDirectory, "postgres"), PodIp));
        FileModes.Set(wrapper, open);
        TryDelete(SocketDirectory);
        // The image's /var/run/postgresql: its postgres user's, 03777, so that postgres can make its socket whatever its uid.
        var postgres = PostgresImage.Accounts(Pod.Containers.FirstOrDefault()?.Image ?? "postgres").Postgres;
        FileOwnership.CreateDirectory(SocketDirectory, postgres.Uid, postgres.Gid, (UnixFileMode)0xDFF); // 03777
        Cgroups.Create(Cgroup);
        UpdateHosts();
    }

    /// <summary>Tells the node's packet rules the pod's cgroup, so that its connections are known as its own from the first.</summary>
    public Task ConnectAsync() =>
        _ctx.Cgroups.RulePath(Cgroup) is { } rule
            ? _ctx.Traffic.AddPodAsync(new PodIdentity(IPAddress.Parse(PodIp), rule.Path, rule.Level))
            : Task.CompletedTask;

    /// <summary>The mounts every container of the pod gets besides its volumes.</summary>
    public IEnumerable<BindMount> CommonMounts() =>
    [
        new BindMount(HostsPath, "/etc/hosts", ReadOnly: false),
        new BindMount(SocketDirectory, LaunchScript.SocketMountPath, ReadOnly: false),
        new BindMount(BinDirectory, LaunchScript.BinMountPath, ReadOnly: true),
    ];

    /// <summary>Writes the container's /etc/passwd and /etc/group (root's, 0644) and mounts them over the host's.</summary>
    public IEnumerable<BindMount> AccountMounts(string container, ContainerIdentity identity)
    {
        var dir = Path.Combine(Directory, "etc-" + container);
        System.IO.Directory.CreateDirectory(dir);
        foreach (var (name, text) in new[] { ("passwd", identity.Passwd()), ("group", identity.Group()) })
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, text);
            FileModes.Set(path, (UnixFileMode)0x1A4); // 0644
            yield return new BindMount(path, "/etc/" + name, ReadOnly: true);
        }
    }

    /// <summary>Rewrites /etc/hosts in place (same inode, so the bind mounts see it) when the Services changed.</summary>
    public void UpdateHosts()
    {
        var text = HostsFile.Build(Pod.Namespace, Hostname, PodIp, _ctx.Services());
        lock (_hostsGate)
        {
            if (text == _lastHosts || !System.IO.Directory.Exists(Directory))
            {
                return;
            }

            using (var f = new FileStream(HostsPath, FileMode.OpenOrCreate, FileAccess.Write))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                f.SetLength(0);
                f.Write(bytes);
            }

            FileModes.Set(HostsPath, (UnixFileMode)0x1A4); // 0644
            _lastHosts = text;
        }
    }

    /// <summary>
    /// Ends whatever still runs in the pod's cgroup once its containers have ended (processes that left a
    /// container's process group would otherwise outlive the pod), removes the cgroup and the directories.
    /// </summary>
    public async Task TearDownAsync()
    {
        if (Cgroups.Pids(Cgroup) is { Count: > 0 } left)
        {
            _ctx.Logger.LogWarning("pod {Namespace}/{Pod}: killed {Count} processes that outlived its containers", Pod.Namespace, Pod.Name, left.Count);
        }

        await _ctx.Traffic.RemovePodAsync(IPAddress.Parse(PodIp)).ConfigureAwait(false);
        try
        {
            if (System.IO.Directory.Exists(Cgroup))
            {
                Cgroups.Kill(Cgroup);
                await Cgroups.RemoveAsync(Cgroup, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (IOException e)
        {
            _ctx.Logger.LogWarning(e, "could not remove cgroup {Cgroup}", Cgroup);
        }

        TryDelete(Directory);
        TryDelete(SocketDirectory);
    }

    private void TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _ctx.Logger.LogWarning(e, "could not remove {Path}", path);
        }
    }
}
