using System.CommandLine;

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
        cmd.Add(kubeconfig);
        cmd.Add(logFormat);
        cmd.Add(logLevel);
        cmd.SetAction(async (parse, ct) =>
        {
            using var logs = LogSetup.Create(parse.GetValue(logFormat)!, parse.GetValue(logLevel));
            await Task.CompletedTask;
            Console.Error.WriteLine("pgreplica run: the Kubernetes client and the reconciler are not built yet; nothing to run.");
            return 2;
        });
        return cmd;
    }
}
