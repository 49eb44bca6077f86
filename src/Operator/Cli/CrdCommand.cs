using System.CommandLine;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Operator.Cli;

/// <summary><c>pgreplica crd</c>: print the PostgresReplicaSet CRD generated from the C# types.</summary>
public static class CrdCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Build()
    {
        var cmd = new Command("crd", "Print the PostgresReplicaSet CustomResourceDefinition (YAML), generated from the C# types.");
        cmd.SetAction(_ =>
        {
            Console.Out.Write(PostgresReplicaSetCrd.Yaml);
            return 0;
        });
        return cmd;
    }
}
