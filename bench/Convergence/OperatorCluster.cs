using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;
using PgReplica.Operator.Cli;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Sandbox;
using PgReplica.Sandbox.Node;

namespace PgReplica.Bench.Convergence;

/// <summary>
/// The sandbox and the operator in this process, as <c>pgreplica sandbox</c> runs them, with one
/// PostgresReplicaSet. Adding a standby is timed from the scale patch until status.standbys says streaming.
/// </summary>
public sealed class OperatorCluster : IAsyncDisposable
{
    private const string Ns = "default";
    private const string Name = "bench";
    private readonly BenchOptions options;
    private readonly string root;
    private readonly CancellationTokenSource operatorStop = new();
    private readonly ConcurrentQueue<PodStepTiming> podSteps = new();
    private SandboxHost? host;
    private KubernetesApiClient? client;
    private ILoggerFactory? logging;
    private Task operatorTask = Task.CompletedTask;
    private NpgsqlDataSource? primary;

    private OperatorCluster(string root, BenchOptions options)
    {
        this.root = root;
        this.options = options;
    }

    private KubernetesApiClient Client => client ?? throw new InvalidOperationException("sandbox not started");

    private NpgsqlDataSource Primary => primary ?? throw new InvalidOperationException("primary not known yet");

    /// <summary>Starts the sandbox and operator, creates the resource with N standbys, waits until Ready, loads rows.</summary>
    public static async Task<OperatorCluster> StartAsync(string root, BenchOptions options, CancellationToken ct)
    {
        var cluster = new OperatorCluster(root, options);
        try
        {
            await cluster.StartCoreAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        logging = LogSetup.Create("text", options.Verbose ? LogLevel.Information : LogLevel.Warning);
        host = await SandboxHost.StartAsync(
            new SandboxOptions { Directory = root, Reset = true, Components = SandboxComponents.NodeAndNetwork(root, logging, podSteps.Enqueue) },
            ct);
        host.InstallCrd(PostgresReplicaSetCrd.Json());
        client = new KubernetesApiClient(ClientConfig.Load(host.KubeconfigPath));
        var settings = new OperatorSettings
        {
            MetricsAddress = "127.0.0.1:0",
            LeaderElect = false,
            ObserveInterval = options.ObserveInterval,
        };
        var stop = operatorStop.Token;
        operatorTask = Task.Run(() => OperatorHost.RunAsync(client, settings, logging, stop), CancellationToken.None);

        SandboxManifests.Apply(host, ResourceYaml(options.Standbys, ManualCluster.UserParameters, StorageGibibytes(options.Rows)));
        await WaitReadyAsync(options.Standbys, ct);

        var secret = (await Client.GetAsync<V1Secret>($"{Name}-replication", Ns, ct))!;
        var ip = (await Client.GetAsync<V1Pod>($"{Name}-1", Ns, ct))!.Status!.PodIP!;
        var endpoint = new PostgresEndpoint(ip, PostgresEndpoint.DefaultPort, "postgres", SecretBuilder.Read(secret, SecretBuilder.SuperuserPasswordKey)!);
        primary = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PrimaryDatabases.ConnectionString(endpoint)) { CommandTimeout = 0 }.ConnectionString);
        await RowLoad.LoadAsync(Primary, options.Rows, ct);
    }

    /// <summary>
    /// Volumes enforce their size, so each claim must hold the rows, the WAL written while loading them and a clone's
    /// streamed WAL: 1 GiB plus about 400 bytes a row (7,000,000 rows: 4 GiB; the images are sparse).
    /// </summary>
    public static int StorageGibibytes(long rows) => (int)Math.Ceiling(1 + rows * 400.0 / (1L << 30));

    /// <summary>The resource the operator side runs: the same image class and parameters as the manual side.</summary>
    public static string ResourceYaml(int standbys, IReadOnlyDictionary<string, string> parameters, int storageGibibytes = 1) =>
        $"""
        apiVersion: pgreplica.io/v1alpha1
        kind: PostgresReplicaSet
        metadata:
          name: {Name}
          namespace: {Ns}
        spec:
          replicas: {standbys.ToString(CultureInfo.InvariantCulture)}
          image: postgres:15
          storage:
            size: {storageGibibytes.ToString(CultureInfo.InvariantCulture)}Gi
          postgresql:
            parameters:
        {string.Join("\n", parameters.Select(p => $"      {p.Key}: \"{p.Value}\""))}
        """;

    /// <summary>
    /// Scales N to N+1 and times it until status.standbys has the new standby streaming. The benchmark sees when
    /// the pod exists, when its postgres container runs, when the primary's pg_stat_replication shows it streaming
    /// and when the status says so; the node agent's step timings say when the init container (pg_basebackup)
    /// execed and exited (<see cref="PodStartPhases"/>).
    /// </summary>
    public async Task<RoundResult> AddStandbyAsync(CancellationToken ct)
    {
        var before = (await StandbyPodsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var patched = await ScaleAsync(options.Standbys + 1, ct);

        DateTimeOffset? podSeen = null, containerRunning = null, pgStreaming = null;
        string? newPod = null;
        await Poll.UntilAsync(
            async token =>
            {
                if (newPod is null)
                {
                    newPod = (await StandbyPodsAsync(token)).FirstOrDefault(p => !before.Contains(p));
                    if (newPod is null)
                    {
                        return false;
                    }

                    podSeen = DateTimeOffset.UtcNow;
                }

                // While the init container clones, the benchmark asks the API server and the primary nothing, as it
                // asks nothing while its own pg_basebackup runs: its requests would take CPU from the clone it times.
                while (InitContainerCloning(newPod, patched) && DateTimeOffset.UtcNow - patched < options.Timeout)
                {
                    await Task.Delay(options.PollInterval, token);
                }

                if (containerRunning is null && await ContainerRunningAsync(newPod, token))
                {
                    containerRunning = DateTimeOffset.UtcNow;
                }

                if (pgStreaming is null && await StreamingInPostgresAsync(newPod, token))
                {
                    pgStreaming = DateTimeOffset.UtcNow;
                }

                var status = (await Client.GetAsync<PostgresReplicaSet>(Name, Ns, token))?.Status;
                var reported = status?.Standbys?.Any(s => s.Name == newPod && s.State == StandbyStates.Streaming) == true;
                if (reported)
                {
                    pgStreaming ??= DateTimeOffset.UtcNow;
                }

                // A step faster than one poll shows up as zero seconds, not as a hole.
                containerRunning ??= pgStreaming;
                return reported;
            },
            options.PollInterval,
            options.Timeout,
            "the new standby streaming in status.standbys",
            ct);
        var done = DateTimeOffset.UtcNow;
        var steps = podSteps.Where(s => s.Namespace == Ns && s.Pod == newPod && s.Start >= patched).ToList();
        return PodStartPhases.Build(new OperatorMarks(patched, podSeen!.Value, containerRunning!.Value, pgStreaming!.Value, done), steps, InstancePodBuilder.InitContainerName);
    }

    // The node agent has reported the init container's set-up but not the end of its run (in memory: no request).
    private bool InitContainerCloning(string pod, DateTimeOffset since)
    {
        var steps = podSteps.Where(s => s.Pod == pod && s.Namespace == Ns && s.Container == InstancePodBuilder.InitContainerName && s.Start >= since).ToList();
        return steps.Count > 0 && steps[^1].Step == PodStepTiming.SetUpStep;
    }

    /// <summary>Scales back to N and waits until the extra pod is gone, its slot dropped, and the resource Ready (untimed).</summary>
    public async Task RemoveStandbyAsync(CancellationToken ct)
    {
        await ScaleAsync(options.Standbys, ct);
        await Poll.UntilAsync(async token => (await StandbyPodsAsync(token)).Count == options.Standbys, options.PollInterval, options.Timeout, "the extra standby pod gone", ct);
        await Poll.UntilAsync(
            async token =>
            {
                await using var slots = Primary.CreateCommand("SELECT count(*) FROM pg_replication_slots");
                return (long)(await slots.ExecuteScalarAsync(token))! == options.Standbys;
            },
            options.PollInterval,
            options.Timeout,
            "the extra slot dropped",
            ct);
        await WaitReadyAsync(options.Standbys, ct);
    }

    // The sandbox's API server answers a patch that races the operator's status write with 409 Conflict (kube-apiserver
    // retries such a patch itself, since it names no resourceVersion), so the benchmark retries it. Returns when the
    // patch that went through was sent.
    private async Task<DateTimeOffset> ScaleAsync(int replicas, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var sent = DateTimeOffset.UtcNow;
            try
            {
                await Client.PatchScaleAsync<PostgresReplicaSet>(Name, Ns, KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }), ct);
                return sent;
            }
            catch (KubernetesApiException e) when (e.Code == 409 && attempt < 10)
            {
                await Task.Delay(options.PollInterval, ct);
            }
        }
    }

    private async Task WaitReadyAsync(int standbys, CancellationToken ct)
    {
        PostgresReplicaSet? c = null;
        await Poll.UntilAsync(
            async token =>
            {
                c = await Client.GetAsync<PostgresReplicaSet>(Name, Ns, token);
                return c?.Status is { Phase: Phases.Ready } s && s.ReadyReplicas == standbys && s.Standbys?.Count == standbys
                    && s.ObservedGeneration == c.Metadata.Generation;
            },
            options.PollInterval,
            options.Timeout,
            $"{Name} Ready with {standbys} standby(s)",
            ct,
            () => $"generation {c?.Metadata.Generation} observed {c?.Status?.ObservedGeneration}, phase {c?.Status?.Phase}, ready {c?.Status?.ReadyReplicas}, standbys {string.Join(",", c?.Status?.Standbys?.Select(s => $"{s.Name}:{s.State}") ?? [])}");
    }

    private async Task<List<string>> StandbyPodsAsync(CancellationToken ct) =>
        (await Client.ListAsync<V1Pod>(Ns, new ListOptions { LabelSelector = $"pgreplica.io/cluster={Name},pgreplica.io/role=standby" }, ct))
            .Items.Select(p => p.Metadata.Name!).ToList();

    private async Task<bool> ContainerRunningAsync(string pod, CancellationToken ct) =>
        (await Client.GetAsync<V1Pod>(pod, Ns, ct))?.Status?.ContainerStatuses?.Any(c => c.State?.Running is not null) == true;

    // The operator sets application_name to the pod name in primary_conninfo.
    private async Task<bool> StreamingInPostgresAsync(string pod, CancellationToken ct)
    {
        await using var state = Primary.CreateCommand("SELECT state FROM pg_stat_replication WHERE application_name = $1");
        state.Parameters.Add(new NpgsqlParameter { Value = pod });
        return await state.ExecuteScalarAsync(ct) as string == "streaming";
    }

    /// <summary>Bytes in the primary's databases.</summary>
    public Task<long> DatabaseBytesAsync(CancellationToken ct) => RowLoad.DatabaseBytesAsync(Primary, ct);

    /// <summary>Brings the primary and its standbys to rest, untimed (<see cref="PrimarySettle"/>).</summary>
    public Task SettleAsync(CancellationToken ct) => PrimarySettle.SettleAsync(Primary, options, ct);

    /// <summary>Stops the operator, then the sandbox (every pod), then deletes the directory unless --keep.</summary>
    public async ValueTask DisposeAsync()
    {
        await operatorStop.CancelAsync();
        try
        {
            await operatorTask;
        }
        catch (OperationCanceledException)
        {
        }

        if (primary is not null)
        {
            await primary.DisposeAsync();
        }

        client?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        logging?.Dispose();
        operatorStop.Dispose();
        if (!options.Keep && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
