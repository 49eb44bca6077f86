using System.Diagnostics;
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

    /// <summary>The phase that holds the clone (the init container's pg_basebackup through the -rw Service).</summary>
    public const string ClonePhase = "init (pg_basebackup) until postgres container running";

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
            new SandboxOptions { Directory = root, Reset = true, Components = SandboxComponents.NodeAndNetwork(root, logging) },
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
    /// Scales N to N+1 and times it until status.standbys has the new standby streaming. Phases: until the
    /// operator created the pod; until its init container (pg_basebackup) finished and postgres runs; until the
    /// primary's pg_stat_replication shows it streaming; until the status says so (the operator's observation).
    /// </summary>
    public async Task<RoundResult> AddStandbyAsync(CancellationToken ct)
    {
        var before = (await StandbyPodsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await Client.PatchScaleAsync<PostgresReplicaSet>(Name, Ns, KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = options.Standbys + 1 } }), ct);

        double? podCreated = null, containerRunning = null, pgStreaming = null;
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

                    podCreated = clock.Elapsed.TotalSeconds;
                }

                if (containerRunning is null && await ContainerRunningAsync(newPod, token))
                {
                    containerRunning = clock.Elapsed.TotalSeconds;
                }

                if (pgStreaming is null && await StreamingInPostgresAsync(newPod, token))
                {
                    pgStreaming = clock.Elapsed.TotalSeconds;
                }

                var status = (await Client.GetAsync<PostgresReplicaSet>(Name, Ns, token))?.Status;
                var reported = status?.Standbys?.Any(s => s.Name == newPod && s.State == StandbyStates.Streaming) == true;
                if (reported)
                {
                    pgStreaming ??= clock.Elapsed.TotalSeconds;
                }

                // A step faster than one poll shows up as zero seconds, not as a hole.
                containerRunning ??= pgStreaming;
                return reported;
            },
            options.PollInterval,
            options.Timeout,
            "the new standby streaming in status.standbys",
            ct);
        var total = clock.Elapsed.TotalSeconds;
        return new RoundResult(total,
        [
            new Phase("scale patch to pod created", podCreated!.Value),
            new Phase(ClonePhase, containerRunning!.Value - podCreated.Value),
            new Phase("until streaming in pg_stat_replication", pgStreaming!.Value - containerRunning.Value),
            new Phase("until status says streaming", total - pgStreaming.Value),
        ]);
    }

    /// <summary>Scales back to N and waits until the extra pod is gone, its slot dropped, and the resource Ready (untimed).</summary>
    public async Task RemoveStandbyAsync(CancellationToken ct)
    {
        await Client.PatchScaleAsync<PostgresReplicaSet>(Name, Ns, KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = options.Standbys } }), ct);
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
