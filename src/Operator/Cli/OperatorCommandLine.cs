using System.CommandLine;

namespace PgReplica.Operator.Cli;

/// <summary>The operator's subcommands: run (default), crd, sandbox, status.</summary>
public static class OperatorCommandLine
{
    /// <summary>Names of the subcommands, used to decide when <c>run</c> is implied.</summary>
    public static readonly string[] Subcommands = ["run", "crd", "sandbox", "status"];

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("pgreplica: a PostgreSQL primary and N streaming standbys from one PostgresReplicaSet.");
        root.Add(RunCommand.Build());
        root.Add(CrdCommand.Build());
        root.Add(SandboxCommand.Build());
        root.Add(StatusCommand.Build());
        return root;
    }

    /// <summary>Prepends <c>run</c> when no subcommand (nor help/version) was given.</summary>
    public static string[] WithDefaultSubcommand(string[] args)
    {
        if (args.Length > 0 && (Subcommands.Contains(args[0]) || args[0] is "-h" or "--help" or "-?" or "--version"))
        {
            return args;
        }

        return ["run", .. args];
    }
}
