using k8s;
using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Sandbox;

namespace PgReplica.Operator.Cli;

/// <summary><c>pgreplica sandbox</c>: the whole system on one machine (API server, node agent, Service proxies, operator).</summary>
public static class SandboxCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Build()
    {
        var cmd = new Command("sandbox", "Start a local stand-in cluster with the operator in it, for labs and tests. Runs until Ctrl-C.");
        var dir = new Option<string>("--dir") { Description = "Where objects, volumes, logs and the kubeconfig live.", DefaultValueFactory = _ => ".sandbox" };
        var reset = new Option<bool>("--reset") { Description = "Start clean: forget every object and volume of an earlier run." };
        var port = new Option<int>("--port") { Description = "API server port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var apply = new Option<string[]>("--apply") { Description = "YAML files to apply once the sandbox is up (e.g. the sample).", AllowMultipleArgumentsPerToken = false };
        var metricsAddress = new Option<string>("--metrics-address") { Description = "host:port of the operator's /metrics.", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var observe = new Option<double>("--observe-interval") { Description = "Seconds between replication observations of a cluster.", DefaultValueFactory = _ => 2 };
        var withOperator = new Option<bool>("--operator")
        {
            Description = "Run the operator inside the sandbox; --operator=false serves the cluster alone, for a `pgreplica run --kubeconfig <dir>/kubeconfig` started (and killed) on its own.",
            DefaultValueFactory = _ => true,
        };
        var logFormat = CommonOptions.LogFormat();
        var logLevel = CommonOptions.LogLevelOption();
        foreach (var o in new Option[] { dir, reset, port, apply, metricsAddress, observe, withOperator, logFormat, logLevel })
        {
            cmd.Add(o);
        }

        cmd.Add(SandboxFaultCommand.Build());

        cmd.SetAction(async (parse, ct) =>
        {
            if (!Environment.IsPrivilegedProcess)
            {
                Console.Error.WriteLine("pgreplica sandbox: run it as root: each container gets a mount namespace of its own and runs as the postgres user.");
                return 2;
            }

            // A line per reconcile (every few seconds per cluster) would drown the lab's progress lines; --log-level Debug shows them.
            var level = parse.GetValue(logLevel);
            using var logging = LogSetup.Create(parse.GetValue(logFormat)!, level,
                new Dictionary<string, LogLevel> { [OperatorHost.ReconcileLogCategory] = level <= LogLevel.Debug ? level : LogLevel.Warning });
            var root = Path.GetFullPath(parse.GetValue(dir)!);
            var clock = Stopwatch.StartNew();
            await using var host = await SandboxHost.StartAsync(
                new SandboxOptions
                {
                    Directory = root,
                    Reset = parse.GetValue(reset),
                    Port = parse.GetValue(port),
                    Components = SandboxComponents.NodeAndNetwork(root, logging),
                },
                ct);
            host.InstallCrd(PostgresReplicaSetCrd.Json());
            Console.Out.WriteLine($"sandbox: API server {host.ApiServerUrl} (API up in {host.ApiStartTime.TotalMilliseconds:F0} ms, everything in {clock.ElapsedMilliseconds} ms)");
            Console.Out.WriteLine($"sandbox: state in {root}; Ctrl-C stops every pod and leaves no process behind");
            Console.Out.WriteLine($"export KUBECONFIG={host.KubeconfigPath}");
            Console.Out.WriteLine("kubectl get nodes,pods,svc");
            foreach (var file in parse.GetValue(apply) ?? [])
            {
                foreach (var line in SandboxManifests.Apply(host, await File.ReadAllTextAsync(file, ct)))
                {
                    Console.Out.WriteLine(line);
                }
            }

            if (!parse.GetValue(withOperator))
            {
                Console.Out.WriteLine($"sandbox: no operator inside; start one with: pgreplica run --kubeconfig {host.KubeconfigPath}");
                await WaitForStopAsync(ct);
                Console.Out.WriteLine("sandbox: stopping pods");
                return 0;
            }

            using var client = new KubernetesApiClient(ClientConfig.Load(host.KubeconfigPath));
            var settings = new OperatorSettings
            {
                MetricsAddress = parse.GetValue(metricsAddress)!,
                LeaderElect = false,
                ObserveInterval = TimeSpan.FromSeconds(parse.GetValue(observe)),
            };
            var progress = ClusterProgress.PrintAsync(client, Console.Out, ct);
            try
            {
                await OperatorHost.RunAsync(client, settings, logging, ct);
            }
            catch (IOException e) when (e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                logging.CreateLogger("pgreplica").LogError("cannot serve metrics on {Address}: {Error}; pass --metrics-address 127.0.0.1:0", settings.MetricsAddress, e.Message);
                return 1;
            }

            await progress;
            Console.Out.WriteLine("sandbox: stopping pods");
            return 0;
        });
        return cmd;
    }

    private static async Task WaitForStopAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM.
        }
    }
}
