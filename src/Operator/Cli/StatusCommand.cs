using k8s;
using System.CommandLine;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Cli;

/// <summary><c>pgreplica status NAME</c>: the per-standby table a DBA reads first (as <c>kubectl cnpg status</c>).</summary>
public static class StatusCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Build()
    {
        var cmd = new Command("status", "Print the per-standby replication table of one PostgresReplicaSet.");
        var name = new Argument<string>("name") { Description = "The PostgresReplicaSet's name." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Its namespace (default: the kubeconfig context's, else default)." };
        var kubeconfig = CommonOptions.Kubeconfig();
        cmd.Add(name);
        cmd.Add(ns);
        cmd.Add(kubeconfig);
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                using var client = new KubernetesApiClient(ClientConfig.Load(parse.GetValue(kubeconfig)));
                var namespaceName = parse.GetValue(ns) ?? client.DefaultNamespace;
                var cluster = await client.GetAsync<PostgresReplicaSet>(parse.GetValue(name)!, namespaceName, ct);
                if (cluster is null)
                {
                    Console.Error.WriteLine($"pgreplica status: postgresreplicaset \"{parse.GetValue(name)}\" not found in namespace {namespaceName}");
                    return 1;
                }

                Console.Out.Write(StatusTable.Render(cluster));
                return 0;
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or k8s.Exceptions.KubeConfigException or IOException)
            {
                Console.Error.WriteLine($"pgreplica status: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}
