using System.CommandLine;

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
            Console.Error.WriteLine("pgreplica crd: the CRD generator is not built yet.");
            return 2;
        });
        return cmd;
    }
}
