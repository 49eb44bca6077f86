using System.CommandLine;

namespace PgReplica.Operator.Cli;

/// <summary><c>pgreplica status NAME</c>: the per-standby table a DBA reads first.</summary>
public static class StatusCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Build()
    {
        var cmd = new Command("status", "Print the per-standby replication table of one PostgresReplicaSet.");
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("pgreplica status: the reconciler's status is not built yet.");
            return 2;
        });
        return cmd;
    }
}
