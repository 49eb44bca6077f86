using System.CommandLine;
using System.Runtime.InteropServices;
using PgReplica.Bench.ApiCost;

var clusters = new Option<int>("--clusters") { Description = "PostgresReplicaSets of 2 standbys each.", DefaultValueFactory = _ => 1 };
var seconds = new Option<int>("--seconds") { Description = "Length of each measured window (idle, then under pgbench).", DefaultValueFactory = _ => 60 };
var keep = new Option<bool>("--keep") { Description = "Keep /tmp/pgr-apicost-* (data directories, logs)." };
var root = new RootCommand("Counts the operator's API requests a minute by verb, idle and under pgbench load, and its RSS.");
foreach (var o in new Option[] { clusters, seconds, keep })
{
    root.Add(o);
}

root.SetAction(async (parse, _) =>
{
    if (!Environment.IsPrivilegedProcess)
    {
        Console.Error.WriteLine("apicost: run it as root: the sandbox needs mount namespaces and postgres runs as the postgres user.");
        return 2;
    }

    using var stop = new CancellationTokenSource();
    void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
    return await ApiCostRun.RunAsync(Math.Max(1, parse.GetValue(clusters)), Math.Max(10, parse.GetValue(seconds)), parse.GetValue(keep), Console.Out, stop.Token);
});

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
