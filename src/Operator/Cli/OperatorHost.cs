using Microsoft.Extensions.Logging;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using Prometheus;
using PgReplica.Kube.Runtime;
using PgReplica.Operator.Metrics;
using PgReplica.Operator.Reconciliation;

namespace PgReplica.Operator.Cli;

/// <summary>The running operator: metrics server, leader election, and the PostgresReplicaSet controller.</summary>
public static class OperatorHost
{
    /// <summary>Log category of the one line per reconcile request (the sandbox quiets it by default).</summary>
    public const string ReconcileLogCategory = "pgreplica.reconcile";

    /// <summary>Runs until cancelled. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(IKubernetesClient client, OperatorSettings settings, ILoggerFactory logging, CancellationToken ct)
    {
        var log = logging.CreateLogger("pgreplica");
        var metrics = new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry());
        var ready = false;
        await using var server = await Metrics.MetricServer.StartAsync(settings.MetricsAddress, metrics.Registry, () => ready, ct);
        log.LogInformation("metrics, /healthz and /readyz on {Url}", server.Url);

        if (!await WaitForApiAsync(client, settings, log, ct))
        {
            return 0;
        }

        ready = true;
        Func<CancellationToken, Task> reconcile = token => RunControllerAsync(client, settings, metrics, logging, log, token);
        try
        {
            if (!settings.LeaderElect)
            {
                log.LogInformation("leader election is off: reconciling at once");
                await reconcile(ct);
                return 0;
            }

            // A lost term ends the controller; stand again for the next one until shutdown.
            while (!ct.IsCancellationRequested)
            {
                var elector = new LeaderElector(client, new LeaderElectionConfig(settings.LeaseNamespace, settings.LeaseName, settings.Identity));
                elector.OnStartedLeading += () => log.LogInformation("became leader ({Identity}) on lease {Namespace}/{Lease}", settings.Identity, settings.LeaseNamespace, settings.LeaseName);
                elector.OnStoppedLeading += () => log.LogWarning("stopped leading; reconciling stops until the lease is won again");
                elector.OnNewLeader += leader => log.LogInformation("leader is {Leader}", leader);
                await elector.RunAsync(reconcile, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown.
        }

        return 0;
    }

    private static async Task RunControllerAsync(IKubernetesClient client, OperatorSettings settings, OperatorMetrics metrics, ILoggerFactory logging, ILogger log, CancellationToken ct)
    {
        var (controller, databases) = PostgresReplicaSetController.Create(
            client,
            new ReplicationMetricsPublisher(metrics),
            logging,
            new ReconcilerOptions { ObserveInterval = settings.ObserveInterval, StatusLagInterval = settings.StatusLagInterval },
            new ControllerOptions { Namespace = settings.WatchNamespace, MaxConcurrentReconciles = settings.Workers });
        await using var _ = databases;
        var reconciles = logging.CreateLogger(ReconcileLogCategory);
        controller.Reconciled += report =>
        {
            var result = report.Outcome.ToString().ToLowerInvariant();
            metrics.ReconcileCompleted(result, report.Duration);
            metrics.QueueDepth(controller.QueueDepth);
            if (report.Error is { } error)
            {
                log.LogWarning("reconcile {Key} failed after {Ms} ms, retrying with back-off: {Error}", report.Key, (long)report.Duration.TotalMilliseconds, error.Message);
            }
            else
            {
                reconciles.LogInformation("reconcile {Key}: {Result} in {Ms} ms", report.Key, result, (long)report.Duration.TotalMilliseconds);
            }
        };
        log.LogInformation("watching PostgresReplicaSets in {Scope}", settings.WatchNamespace ?? "all namespaces");
        await controller.RunAsync(ct);
    }

    // The API server may come up after us, or the CRD may not be installed yet: say which, and keep trying.
    private static async Task<bool> WaitForApiAsync(IKubernetesClient client, OperatorSettings settings, ILogger log, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await client.ListAsync<PostgresReplicaSet>(settings.WatchNamespace, options: null, ct);
                return true;
            }
            catch (KubernetesApiException e) when (e.Code == 404)
            {
                log.LogError("the PostgresReplicaSet CRD is not installed (kubectl apply -f config/crds/); retrying in {Seconds} s", delay.TotalSeconds);
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException)
            {
                log.LogError("cannot reach the Kubernetes API: {Error}; retrying in {Seconds} s", e.Message, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
        }

        return false;
    }
}
