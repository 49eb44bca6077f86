using System.CommandLine;
using System.Runtime.InteropServices;
using PgReplica.Bench.Convergence;

var rounds = new Option<int>("--rounds") { Description = "Timed standby additions per side.", DefaultValueFactory = _ => 3 };
var warmUp = new Option<int>("--warmup") { Description = "Untimed rounds on both sides before the timed ones.", DefaultValueFactory = _ => 1 };
var standbys = new Option<int>("--standbys") { Description = "Standbys before each addition (N; each round adds one more).", DefaultValueFactory = _ => 1 };
var rows = new Option<long>("--rows") { Description = "Rows of about 100 bytes loaded into both primaries before timing.", DefaultValueFactory = _ => 0 };
var keep = new Option<bool>("--keep") { Description = "Keep the data directories and logs under /tmp/pgr-bench-*." };
var verbose = new Option<bool>("--verbose") { Description = "Log the operator and the sandbox at Information (stderr)." };
var root = new RootCommand("Times adding a standby through the operator in the sandbox against the same steps by hand, and prints the ratio.");
foreach (var o in new Option[] { rounds, warmUp, standbys, rows, keep, verbose })
{
    root.Add(o);
}

root.SetAction(async (parse, _) =>
{
    if (!Environment.IsPrivilegedProcess)
    {
        Console.Error.WriteLine("convergence: run it as root: the sandbox needs mount namespaces and postgres runs as the postgres user.");
        return 2;
    }

    var options = new BenchOptions
    {
        Rounds = Math.Max(1, parse.GetValue(rounds)),
        WarmUpRounds = Math.Max(0, parse.GetValue(warmUp)),
        Standbys = Math.Max(0, parse.GetValue(standbys)),
        Rows = Math.Max(0, parse.GetValue(rows)),
        Keep = parse.GetValue(keep),
        Verbose = parse.GetValue(verbose),
    };

    // Our own signal handling, so Ctrl-C cancels the rounds and the cleanup still runs to the end.
    using var stop = new CancellationTokenSource();
    void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
    return await ConvergenceRun.RunAsync(options, Console.Out, stop.Token);
});

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
