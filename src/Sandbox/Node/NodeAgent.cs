using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// The sandbox's kubelet and scheduler for its one node: binds every pod to the node, runs it as local
/// processes (<see cref="PodWorker"/>), and removes a pod from the store once a graceful deletion
/// (metadata.deletionTimestamp) has stopped its processes. Serves logs and exec to the API server.
/// </summary>
public sealed class NodeAgent : IPodRuntime, IAsyncDisposable
{
    private const long MinimumDeletionGraceSeconds = 2;
    private readonly IObjectStore _store;
    private readonly NodeOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Channel<(StoreEvent? Change, PodWorker? Ended)> _work = Channel.CreateUnbounded<(StoreEvent?, PodWorker?)>(new UnboundedChannelOptions { SingleReader = true });
    private NodeContext? _ctx;
    private IDisposable? _subscription;
    private Task _loop = Task.CompletedTask;
    private IReadOnlyList<ServiceAddress> _services = [];

    /// <summary>Creates the agent; nothing runs until <see cref="StartAsync"/>.</summary>
    public NodeAgent(IObjectStore store, NodeOptions options, ILogger? logger = null)
    {
        _store = store;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Faults on demand against this node's pods (known after <see cref="StartAsync"/>).</summary>
    public ISandboxFaults? Faults { get; private set; }

    /// <summary>The PostgreSQL version behind every postgres image (known after <see cref="StartAsync"/>).</summary>
    public string? PostgresVersion => _ctx?.Image.Version;

    /// <summary>
    /// Ends processes an earlier agent on the same root left behind, registers the node, then runs every pod in the
    /// store and follows the store's changes.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var cgroups = Cgroups.Open(_options.RootDirectory);
        if (cgroups.RulePath(cgroups.NodePath) is null)
        {
            _logger.LogWarning("cgroup2 is mounted at {Mount}, outside /sys/fs/cgroup: nftables cannot name pod cgroups, so partitions would cut pods too", cgroups.Mount);
        }

        await LeftoverProcesses.StopAsync(cgroups, TimeSpan.FromSeconds(10), _logger).ConfigureAwait(false);
        // Mounts an agent that died left behind: each pod start mounts its claims afresh.
        ClaimVolume.UnmountAll(PodVolumes.VolumesRoot(_options), _logger);
        ClaimVolume.PrepareRoot(PodVolumes.VolumesRoot(_options));
        var image = PostgresImage.Discover(_options.PostgresBinDirectory);
        Directory.CreateDirectory(_options.RootDirectory);
        foreach (var sub in new[] { "pods", "volumes" })
        {
            Directory.CreateDirectory(Path.Combine(_options.RootDirectory, sub));
        }

        var traffic = new PodTraffic(_options.PodAddressOctet);
        await traffic.StartAsync(cancellationToken).ConfigureAwait(false);
        _ctx = new NodeContext(_store, _options, image, new LoopbackAddressPool(_options.PodAddressOctet), cgroups, traffic, _logger)
        {
            Services = () => Volatile.Read(ref _services),
        };
        Faults = new NodeFaults(_ctx, traffic, Worker);
        Directory.CreateDirectory(_ctx.SocketRoot);

        RegisterNode(image);
        _subscription = _store.Subscribe(e =>
        {
            if (e.Resource == ResourceType.Pods || e.Resource == ResourceType.Services || e.Resource == ResourceType.Endpoints
                || e.Resource == ResourceType.PersistentVolumeClaims)
            {
                _work.Writer.TryWrite((e, null));
            }
        });
        RefreshServices();
        foreach (var pod in _store.List(ResourceType.Pods, null))
        {
            var meta = pod["metadata"] as JsonObject;
            Reconcile(PodModel.Str(meta, "namespace") ?? "default", PodModel.Str(meta, "name") ?? "");
        }

        _loop = Task.Run(LoopAsync, CancellationToken.None);
        _logger.LogInformation("node agent {Node} started on PostgreSQL {Version} ({Bin})", _options.NodeName, image.Version, image.BinDirectory);
    }

    /// <summary>
    /// Stops every pod's processes within its grace period (at once when the token fires) and stops following
    /// the store. Pod objects stay in the store, as they do when a real node goes down.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _subscription?.Dispose();
        _subscription = null;
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        PodWorker[] workers;
        lock (_gate)
        {
            workers = _workers.Values.ToArray();
        }

        foreach (var w in workers)
        {
            // Not vanished: the final status (containers terminated) is still written.
            w.RequestStop(TimeSpan.FromSeconds(w.Pod.TerminationGracePeriodSeconds), vanished: false);
        }

        using var registration = cancellationToken.Register(() =>
        {
            foreach (var w in workers)
            {
                w.RequestStop(TimeSpan.Zero, vanished: false);
            }
        });
        await Task.WhenAll(workers.Select(w => w.Completion)).ConfigureAwait(false);
        lock (_gate)
        {
            _workers.Clear();
        }

        // The volumes stay on disk, unmounted, with no loop device left attached; the node's cgroup goes.
        ClaimVolume.UnmountAll(PodVolumes.VolumesRoot(_options), _logger);
        if (_ctx is not null)
        {
            await _ctx.Traffic.DisposeAsync().ConfigureAwait(false);
            await Cgroups.RemoveAsync(_ctx.Cgroups.NodePath, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public string? LogPath(string ns, string pod, string container, bool previous = false) =>
        Worker(ns, pod)?.LogPath(container, previous);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The pod or container does not exist or is not running.</exception>
    public Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        var worker = Worker(request.Namespace, request.Pod)
            ?? throw new InvalidOperationException($"pod {request.Namespace}/{request.Pod} is not running on this node");
        return worker.ExecAsync(request, cancellationToken);
    }

    /// <summary>The pod's IP while it runs here (tests and diagnostics).</summary>
    internal string? PodIp(string ns, string pod) => Worker(ns, pod)?.PodIp;

    /// <summary>The pod's unix socket directory while it runs here.</summary>
    internal string? SocketDirectory(string ns, string pod) => Worker(ns, pod)?.Sandbox.SocketDirectory;

    private PodWorker? Worker(string ns, string pod)
    {
        lock (_gate)
        {
            return _workers.GetValueOrDefault($"{ns}/{pod}");
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var (change, ended) in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (ended is not null)
                {
                    OnWorkerEnded(ended);
                }
                else if (change is not null)
                {
                    OnChange(change);
                }
            }
            catch (Exception e)
            {
                _logger.LogError(e, "node agent failed to handle a change");
            }
        }
    }

    private void OnChange(StoreEvent change)
    {
        var meta = change.Object["metadata"] as JsonObject;
        var ns = PodModel.Str(meta, "namespace") ?? "default";
        var name = PodModel.Str(meta, "name") ?? "";
        if (change.Resource == ResourceType.Pods)
        {
            Reconcile(ns, name);
        }
        else if (change.Resource == ResourceType.PersistentVolumeClaims && change.Type == StoreEventType.Deleted)
        {
            DeleteClaimDirectory(ns, name);
        }
        else if (change.Resource == ResourceType.Services || change.Resource == ResourceType.Endpoints)
        {
            RefreshServices();
        }
    }

    private void Reconcile(string ns, string name)
    {
        var key = $"{ns}/{name}";
        var pod = _store.Get(ResourceType.Pods, ns, name);
        PodWorker? worker;
        lock (_gate)
        {
            worker = _workers.GetValueOrDefault(key);
        }

        if (pod is null)
        {
            // Removed without a graceful deletion: stop, but there is nothing left to remove.
            worker?.RequestStop(TimeSpan.FromSeconds(worker.Pod.TerminationGracePeriodSeconds), vanished: true);
            return;
        }

        var model = PodModel.Parse(pod);
        var meta = pod["metadata"] as JsonObject;
        var spec = pod["spec"] as JsonObject;
        var deleting = meta?["deletionTimestamp"] is not null;
        if (worker is not null && worker.Pod.Uid != model.Uid)
        {
            // A new pod took the name; the old one's processes go first, then OnWorkerEnded starts the new one.
            worker.RequestStop(TimeSpan.FromSeconds(worker.Pod.TerminationGracePeriodSeconds), vanished: true);
            return;
        }

        var nodeName = PodModel.Str(spec, "nodeName");
        if (string.IsNullOrEmpty(nodeName))
        {
            if (deleting)
            {
                RemovePod(ns, name, model.Uid);
            }
            else
            {
                Bind(pod);
            }

            return;
        }

        if (nodeName != _options.NodeName)
        {
            return;
        }

        if (deleting)
        {
            var grace = PodModel.Long(meta, "deletionGracePeriodSeconds") ?? model.TerminationGracePeriodSeconds;
            if (worker is null)
            {
                RemovePod(ns, name, model.Uid);
            }
            else
            {
                worker.RemoveWhenStopped = true;
                // As the kubelet: a deletion never gets less than 2 s, so postgres can still shut down cleanly.
                worker.RequestStop(TimeSpan.FromSeconds(Math.Max(MinimumDeletionGraceSeconds, grace)), vanished: false);
            }

            return;
        }

        var phase = PodModel.Str(pod["status"] as JsonObject, "phase");
        if (worker is not null || phase is "Succeeded" or "Failed")
        {
            return;
        }

        worker = new PodWorker(_ctx!, model);
        lock (_gate)
        {
            _workers[key] = worker;
        }

        worker.Start();
        var started = worker;
        _ = worker.Completion.ContinueWith(_ => _work.Writer.TryWrite((null, started)), TaskScheduler.Default);
    }

    private void OnWorkerEnded(PodWorker worker)
    {
        var key = $"{worker.Pod.Namespace}/{worker.Pod.Name}";
        lock (_gate)
        {
            if (_workers.GetValueOrDefault(key) == worker)
            {
                _workers.Remove(key);
            }
        }

        if (worker.RemoveWhenStopped)
        {
            RemovePod(worker.Pod.Namespace, worker.Pod.Name, worker.Pod.Uid);
        }

        // A claim deleted while this pod still used it (garbage collection deletes both at once) keeps its volume
        // until the pod is gone, as the pvc-protection finalizer does; now it can go.
        foreach (var claim in worker.Pod.Volumes.Select(v => v.ClaimName).OfType<string>().Distinct())
        {
            if (_store.Get(ResourceType.PersistentVolumeClaims, worker.Pod.Namespace, claim) is null)
            {
                DeleteClaimDirectory(worker.Pod.Namespace, claim);
            }
        }

        // A pod that took the same name meanwhile can start now.
        Reconcile(worker.Pod.Namespace, worker.Pod.Name);
    }

    /// <summary>The scheduler's part: every pod goes to this node.</summary>
    private void Bind(JsonObject pod)
    {
        if (pod["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["nodeName"] = _options.NodeName;
        var meta = pod["metadata"] as JsonObject;
        try
        {
            _store.Replace(ResourceType.Pods, PodModel.Str(meta, "namespace"), pod);
            _ctx!.RecordEvent(PodModel.Parse(pod), "Normal", "Scheduled", $"Successfully assigned {PodModel.Str(meta, "namespace")}/{PodModel.Str(meta, "name")} to {_options.NodeName}");
        }
        catch (StoreException e) when (e.Reason is "Conflict" or "NotFound")
        {
            // Changed or gone meanwhile; its next event brings it back here.
        }
    }

    private void RemovePod(string ns, string name, string uid)
    {
        var current = _store.Get(ResourceType.Pods, ns, name);
        // With finalizers left the object stays; the API server removes it when the last finalizer goes.
        if (current is not null && PodModel.Str(current["metadata"] as JsonObject, "uid") == uid
            && (current["metadata"]?["finalizers"] as JsonArray ?? new JsonArray()).Count == 0)
        {
            _store.Remove(ResourceType.Pods, ns, name);
            _logger.LogInformation("pod {Namespace}/{Pod} stopped and removed", ns, name);
        }
    }

    private void DeleteClaimDirectory(string ns, string claim)
    {
        bool inUse;
        lock (_gate)
        {
            inUse = _workers.Values.Any(w => w.Pod.Namespace == ns && w.Pod.Volumes.Any(v => v.ClaimName == claim));
        }

        var volumes = PodVolumes.VolumesRoot(_options);
        if (inUse || (!File.Exists(ClaimVolume.Image(volumes, ns, claim)) && !Directory.Exists(ClaimVolume.MountPoint(volumes, ns, claim))))
        {
            return;
        }

        // The reclaim policy Delete of a dynamically provisioned volume: the data goes with the claim.
        ClaimVolume.Delete(volumes, ns, claim);
        _logger.LogInformation("deleted the volume of claim {Namespace}/{Claim}", ns, claim);
    }

    private void RefreshServices()
    {
        var list = new List<ServiceAddress>();
        foreach (var svc in _store.List(ResourceType.Services, null))
        {
            var meta = svc["metadata"] as JsonObject;
            var ns = PodModel.Str(meta, "namespace") ?? "default";
            var name = PodModel.Str(meta, "name") ?? "";
            var clusterIp = PodModel.Str(svc["spec"] as JsonObject, "clusterIP");
            if (clusterIp == "None")
            {
                // Headless: the names resolve to the ready endpoints, as cluster DNS answers.
                var ep = _store.Get(ResourceType.Endpoints, ns, name);
                var ips = PodModel.Array(ep, "subsets").SelectMany(s => PodModel.Array(s, "addresses"))
                    .Select(a => PodModel.Str(a, "ip")).OfType<string>().Distinct().ToList();
                if (ips.Count > 0)
                {
                    list.Add(new ServiceAddress(ns, name, ips));
                }
            }
            else if (!string.IsNullOrEmpty(clusterIp))
            {
                list.Add(new ServiceAddress(ns, name, [clusterIp]));
            }
        }

        Volatile.Write(ref _services, list);
        PodWorker[] workers;
        lock (_gate)
        {
            workers = _workers.Values.ToArray();
        }

        foreach (var w in workers)
        {
            try
            {
                w.UpdateHosts();
            }
            catch (IOException e)
            {
                _logger.LogWarning(e, "could not update /etc/hosts of pod {Namespace}/{Pod}", w.Pod.Namespace, w.Pod.Name);
            }
        }
    }

    private void RegisterNode(PostgresImage image)
    {
        var now = PodStatusBuilder.Format(_options.Time.GetUtcNow());
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = _options.NodeName,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/hostname"] = _options.NodeName,
                    ["kubernetes.io/os"] = "linux",
                },
            },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "sandbox node agent is posting ready status",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                }),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" },
                    new JsonObject { ["type"] = "Hostname", ["address"] = _options.NodeName }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.32.0-sandbox",
                    ["containerRuntimeVersion"] = $"sandbox://postgresql-{image.Version}",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() == "x64" ? "amd64" : "arm64",
                },
            },
        };
        try
        {
            _store.Create(ResourceType.Nodes, null, node);
        }
        catch (StoreException e) when (e.Reason == "AlreadyExists")
        {
            // Registered by an earlier run.
        }
    }
}
