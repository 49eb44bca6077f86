using PgReplica.Operator.Cli;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Sandbox;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Node;

namespace PgReplica.EndToEnd.Tests;

/// <summary>
/// The whole system on one machine: the sandbox API server, node agent (pods as local PostgreSQL processes)
/// and Service proxies, the real kubectl, and the operator's controller running in this process.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private CancellationTokenSource? operatorStop;
    private Task operatorTask = Task.CompletedTask;
    private PrimaryDatabases? operatorDatabases;

    public string Root { get; } = Path.Combine("/tmp", "pgr-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    public SandboxHost Host { get; private set; } = null!;
    public KubernetesApiClient Client { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;
    public ILoggerFactory Logging { get; } = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Host = await SandboxHost.StartAsync(new SandboxOptions
        {
            Directory = Path.Combine(Root, "sandbox"),
            Reset = true,
            Components =
            [
                store => SandboxComponent.Of(new ServiceProxies(store, new ServiceProxyOptions { ClusterAddressOctet = 91 })),
                store => SandboxComponent.Of(new NodeAgent(store, new NodeOptions
                {
                    RootDirectory = Path.Combine(Root, "node"),
                    PodAddressOctet = 90,
                    InitialRestartBackOff = TimeSpan.FromMilliseconds(500),
                    MaxRestartBackOff = TimeSpan.FromSeconds(5),
                })),
            ],
        });
        Client = new KubernetesApiClient(ClientConfig.Load(Host.KubeconfigPath));
        var cache = Path.Combine(Root, "kubectl-cache");
        Directory.CreateDirectory(cache);
        Kubectl = new Kubectl(Host.KubeconfigPath, cache);
        await Kubectl.ApplyAsync(PostgresReplicaSetCrd.Yaml);
        StartOperator();
    }

    /// <summary>Runs the operator's controller until <see cref="StopOperatorAsync"/> (a kill: no cleanup beyond cancellation).</summary>
    public void StartOperator()
    {
        var (controller, databases) = PostgresReplicaSetController.Create(Client, new NoReplicationMetrics(), Logging,
            new ReconcilerOptions { ObserveInterval = TimeSpan.FromSeconds(1), WaitInterval = TimeSpan.FromMilliseconds(500) },
            new ControllerOptions { ErrorBackoffMax = TimeSpan.FromSeconds(2) });
        operatorDatabases = databases;
        operatorStop = new CancellationTokenSource();
        var token = operatorStop.Token;
        operatorTask = Task.Run(async () =>
        {
            try
            {
                await controller.RunAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
        });
    }

    public async Task StopOperatorAsync()
    {
        operatorStop?.Cancel();
        await operatorTask;
        if (operatorDatabases is not null) await operatorDatabases.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await StopOperatorAsync();
        Client?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        Logging.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public Task<PostgresReplicaSet?> ClusterAsync(string ns, string name) => Client.GetAsync<PostgresReplicaSet>(name, ns);

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string ns, string name) =>
        (await Client.ListAsync<V1Pod>(ns, new ListOptions { LabelSelector = $"pgreplica.io/cluster={name}" })).Items.ToList();

    /// <summary>A data source on an instance's pod IP, as the postgres superuser with the Secret's password.</summary>
    public async Task<NpgsqlDataSource> ConnectAsync(string ns, string cluster, string pod)
    {
        var secret = (await Client.GetAsync<V1Secret>($"{cluster}-replication", ns))!;
        // A pod being re-created by a rollout has no IP for a moment: wait for the one it gets.
        var ip = (await EventuallyAsync(
            async () => (await Client.GetAsync<V1Pod>(pod, ns))?.Status?.PodIP,
            v => !string.IsNullOrEmpty(v),
            _ => $"pod {pod} has no IP yet",
            seconds: 60))!;
        var endpoint = new PostgresEndpoint(ip, 5432, "postgres", SecretBuilder.Read(secret, SecretBuilder.SuperuserPasswordKey)!);
        var builder = new NpgsqlConnectionStringBuilder(PrimaryDatabases.ConnectionString(endpoint)) { Pooling = false };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public static string ClusterYaml(string ns, string name, int replicas) => $"""
        apiVersion: pgreplica.io/v1alpha1
        kind: PostgresReplicaSet
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: {replicas}
          image: postgres:15
          storage:
            size: 1Gi
          postgresql:
            parameters:
              shared_buffers: 16MB
              max_connections: "30"
        """;

    /// <summary>Polls until the condition holds; fails with the last value's description after a generous bound.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, string> describe, int seconds = 180)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T last = default!;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last)) return last;
            }
            catch (Exception e) when (e is NpgsqlException or KubernetesApiException or HttpRequestException or InvalidOperationException)
            {
                lastError = e;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"condition not met in {seconds}s; last: {(lastError is not null ? lastError.Message : describe(last))}");
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
