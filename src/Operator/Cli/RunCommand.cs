using k8s;
using System.CommandLine;
using PgReplica.Kube.Client;

namespace PgReplica.Operator.Cli;

/// <summary><c>pgreplica run</c>: connect, elect a leader, watch PostgresReplicaSets and reconcile them.</summary>
public static class RunCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Build()
    {
        var cmd = new Command("run", "Run the operator against a cluster (kubeconfig or in-cluster config).");
        var kubeconfig = CommonOptions.Kubeconfig();
        var logFormat = CommonOptions.LogFormat();
        var logLevel = CommonOptions.LogLevelOption();
        var ns = new Option<string?>("--namespace", "-n") { Description = "Watch only this namespace (default: all namespaces)." };
        var metricsAddress = new Option<string>("--metrics-address") { Description = "host:port for /metrics, /healthz and /readyz.", DefaultValueFactory = _ => "0.0.0.0:8080" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Take a coordination.k8s.io Lease before reconciling (run several replicas safely).", DefaultValueFactory = _ => true };
        var leaseNamespace = new Option<string?>("--leader-election-namespace") { Description = "Namespace of the Lease (default: $POD_NAMESPACE, the service account's namespace, or default)." };
        var leaseName = new Option<string>("--leader-election-id") { Description = "Name of the Lease.", DefaultValueFactory = _ => "pgreplica-operator" };
        var observe = new Option<double>("--observe-interval") { Description = "Seconds between replication observations of a cluster (lag freshness).", DefaultValueFactory = _ => 5 };
        var statusLag = new Option<double>("--status-lag-interval") { Description = "Seconds between status writes that only refresh LSN and lag figures (metrics stay live).", DefaultValueFactory = _ => 30 };
        var workers = new Option<int>("--workers") { Description = "Clusters reconciled at once.", DefaultValueFactory = _ => 2 };
        foreach (var o in new Option[] { kubeconfig, ns, metricsAddress, leaderElect, leaseNamespace, leaseName, observe, statusLag, workers, logFormat, logLevel })
        {
            cmd.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            using var logging = LogSetup.Create(parse.GetValue(logFormat)!, parse.GetValue(logLevel));
            if (parse.GetValue(observe) is var seconds && seconds <= 0 || parse.GetValue(workers) < 1)
            {
                Console.Error.WriteLine("pgreplica run: --observe-interval must be > 0 and --workers >= 1");
                return 2;
            }

            KubernetesClientConfiguration config;
            try
            {
                config = ClientConfig.Load(parse.GetValue(kubeconfig));
            }
            catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or NotSupportedException)
            {
                Console.Error.WriteLine($"pgreplica run: {e.Message}");
                return 2;
            }

            using var client = new KubernetesApiClient(config);
            var settings = new OperatorSettings
            {
                WatchNamespace = parse.GetValue(ns),
                MetricsAddress = parse.GetValue(metricsAddress)!,
                LeaderElect = parse.GetValue(leaderElect),
                LeaseNamespace = parse.GetValue(leaseNamespace) ?? ClientConfig.OwnNamespace(),
                LeaseName = parse.GetValue(leaseName)!,
                ObserveInterval = TimeSpan.FromSeconds(parse.GetValue(observe)),
                StatusLagInterval = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(statusLag))),
                Workers = parse.GetValue(workers),
            };
            return await OperatorHost.RunAsync(client, settings, logging, ct);
        });
        return cmd;
    }
}
