using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using PgReplica.Kube.Tests.Harness;
using OurElector = PgReplica.Kube.Runtime.LeaderElector;
using OurElectionConfig = PgReplica.Kube.Runtime.LeaderElectionConfig;
using PackageElector = k8s.LeaderElection.LeaderElector;

namespace PgReplica.Kube.Tests.Runtime;

/// <summary>Our elector and the package's share one Lease: each takes over from the other (a mixed rollout, or a rollback).</summary>
public sealed class LeaderElectorInteropTests : IAsyncLifetime
{
    private SandboxApi server = null!;

    public async Task InitializeAsync() => server = await SandboxApi.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static OurElectionConfig Ours(string id) => new("default", "pgreplica-leader", id)
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    private PackageElector Package(string id) => new(new LeaderElectionConfig(new LeaseLock(server.Client(caller: id).Api, "default", "pgreplica-leader", id))
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    });

    [Fact]
    public async Task OursTakesOverALeaseThePackagesElectorHeld()
    {
        using var packageTerm = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var package = Package("package");
        var packageRun = package.RunUntilLeadershipLostAsync(packageTerm.Token);
        await Eventually.TrueAsync(() => package.IsLeader());
        await packageTerm.CancelAsync();
        await IgnoreCancellation(packageRun);

        using var client = server.Client(caller: "ours");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = await LeadAsync(client, cts.Token);
        Assert.Equal("ours", (await client.GetAsync<k8s.Models.V1Lease>("pgreplica-leader", "default"))!.Spec!.HolderIdentity);
        await cts.CancelAsync();
        await IgnoreCancellation(run);
    }

    [Fact]
    public async Task ThePackagesElectorTakesOverALeaseOursReleased()
    {
        using var client = server.Client(caller: "ours");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = await LeadAsync(client, cts.Token);
        await cts.CancelAsync();
        await IgnoreCancellation(run);

        using var packageTerm = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var package = Package("package");
        var packageRun = package.RunUntilLeadershipLostAsync(packageTerm.Token);
        await Eventually.TrueAsync(() => package.IsLeader(), because: "a released Lease keeps its holder and expires in a second");
        await packageTerm.CancelAsync();
        await IgnoreCancellation(packageRun);
    }

    // Runs our elector until it leads; the returned task ends when the token is cancelled.
    private static async Task<Task> LeadAsync(PgReplica.Kube.Client.IKubernetesClient client, CancellationToken ct)
    {
        var leading = new TaskCompletionSource();
        var run = new OurElector(client, Ours("ours")).RunAsync(async token =>
        {
            leading.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        }, ct);
        await leading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return run;
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
