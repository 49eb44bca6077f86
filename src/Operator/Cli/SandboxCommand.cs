using System.CommandLine;

namespace PgReplica.Operator.Cli;

/// <summary><c>pgreplica sandbox</c>: the whole system on one machine (API server, node agent, operator).</summary>
public static class SandboxCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Build()
    {
        var cmd = new Command("sandbox", "Start a local stand-in cluster with the operator in it, for labs and tests.");
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("pgreplica sandbox: the sandbox is not built yet.");
            return 2;
        });
        return cmd;
    }
}
