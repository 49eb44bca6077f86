using k8s;
using k8s.Models;
using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public sealed class LeaderElectorTests : IAsyncLifetime
{
    private SandboxApi server = null!;

    public async Task InitializeAsync() => server = await SandboxApi.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static LeaderElectionConfig Config(string id) => new("default", "pgreplica-leader", id)
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
    };

    private sealed class Candidate : IAsyncDisposable
    {
        private readonly CancellationTokenSource cts = new(TimeSpan.FromSeconds(60));

        public Candidate(SandboxApi server, string id)
        {
            Client = server.Client(caller: id);
            Elector = new LeaderElector(Client, Config(id));
            Elector.OnStartedLeading += () => Interlocked.Increment(ref Started);
            Elector.OnStoppedLeading += () => Interlocked.Increment(ref Stopped);
            Running = Elector.RunAsync(async ct =>
            {
                Leading = true;
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    Leading = false;
                }
            }, cts.Token);
        }

        public int Started;
        public int Stopped;

        public PgReplica.Kube.Client.KubernetesApiClient Client { get; }

        public LeaderElector Elector { get; }

        public Task Running { get; }

        public volatile bool Leading;

        public Task StopAsync()
        {
            cts.Cancel();
            return Running;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Client.Dispose();
        }
    }

    private async Task<V1Lease> LeaseAsync()
    {
        using var client = server.Client();
        return (await client.GetAsync<V1Lease>("pgreplica-leader", "default"))!;
    }

    [Fact]
    public async Task AcquiresAnAbsentLeaseAndRenewsIt()
    {
        await using var a = new Candidate(server, "a");
        await Eventually.TrueAsync(() => a.Leading && a.Elector.IsLeader);
        var lease = await LeaseAsync();
        Assert.Equal("a", lease.Spec!.HolderIdentity);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
        Assert.Equal(2, lease.Spec.LeaseDurationSeconds);
        var firstRenew = lease.Spec.RenewTime;

        await Eventually.TrueAsync(async () => (await LeaseAsync()).Spec!.RenewTime > firstRenew, because: "the leader renews");
        Assert.Equal(1, a.Started);
        Assert.Contains(server.Requests, r => r.StartsWith("PUT /apis/coordination.k8s.io/v1/namespaces/default/leases/pgreplica-leader", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseOnShutdownHandsOverToTheWaitingCandidate()
    {
        await using var a = new Candidate(server, "a");
        await Eventually.TrueAsync(() => a.Leading);
        await using var b = new Candidate(server, "b");
        var renewTime = (await LeaseAsync()).Spec!.RenewTime;
        await Eventually.TrueAsync(async () => (await LeaseAsync()).Spec!.RenewTime > renewTime && b.Elector.ObservedLeader == "a");
        Assert.False(b.Leading);

        await a.StopAsync();
        Assert.Equal(1, a.Stopped);
        Assert.False(a.Leading);
        await Eventually.TrueAsync(() => b.Leading);
        var lease = await LeaseAsync();
        Assert.Equal("b", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task ALeaderThatCannotRenewStepsDownAndAnotherTakesOverAfterExpiry()
    {
        await using var a = new Candidate(server, "a");
        await Eventually.TrueAsync(() => a.Leading);
        await using var b = new Candidate(server, "b");
        await Eventually.TrueAsync(() => b.Elector.ObservedLeader == "a");

        // Cut a off from the API server: its renewals fail, so it must stop leading within the renew deadline.
        server.Fault = r => r.Caller == "a" ? (503, "ServiceUnavailable") : null;
        await Eventually.TrueAsync(() => !a.Leading && a.Stopped == 1);
        await Eventually.TrueAsync(() => b.Leading, because: "b takes the lease once it expired on b's clock");
        Assert.Equal("b", (await LeaseAsync()).Spec!.HolderIdentity);
    }

    [Fact]
    public async Task ConcurrentCandidatesForAReleasedLeaseProduceExactlyOneWinner()
    {
        using var setup = server.Client();
        await setup.CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "pgreplica-leader", NamespaceProperty = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = null, LeaseDurationSeconds = 1, LeaseTransitions = 4 },
        });
        var clients = Enumerable.Range(0, 8).Select(i => server.Client(caller: $"c{i}")).ToList();
        var electors = clients.Select((c, i) => new LeaderElector(c, Config($"c{i}"))).ToList();
        var wins = await Task.WhenAll(electors.Select(e => e.TryAcquireOrRenewAsync(CancellationToken.None)));
        Assert.Single(wins, w => w);
        var lease = await LeaseAsync();
        Assert.Equal($"c{Array.IndexOf(wins, true)}", lease.Spec!.HolderIdentity);
        Assert.Equal(5, lease.Spec.LeaseTransitions);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task ShutdownDuringAnInFlightRenewalReturnsCleanly()
    {
        using var client = server.Client(caller: "a");
        var elector = new LeaderElector(client, Config("a") with { RenewDeadline = TimeSpan.FromSeconds(30), ReleaseOnCancel = false });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = new TaskCompletionSource();
        elector.OnStartedLeading += () => started.TrySetResult();
        var running = elector.RunAsync(ct => Task.Delay(Timeout.Infinite, ct), cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        server.BeforeHandling = r =>
        {
            held.TrySetResult();
            return release.Task;
        };
        await held.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await cts.CancelAsync();
        await running; // must not throw OperationCanceledException
        Assert.False(elector.IsLeader);
        release.SetResult();
    }

    [Fact]
    public async Task FailingWorkEndsTheTermReleasesTheLeaseAndRethrows()
    {
        using var client = server.Client(caller: "a");
        var elector = new LeaderElector(client, Config("a"));
        var stopped = 0;
        elector.OnStoppedLeading += () => stopped++;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => elector.RunAsync(_ => throw new InvalidOperationException("boom"), cts.Token));
        Assert.Equal("boom", e.Message);
        Assert.Equal(1, stopped);
        Assert.False(elector.IsLeader);
        var lease = await LeaseAsync();
        Assert.Equal("a", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
    }

    [Fact]
    public async Task AnotherHoldersLeaseExpiresOnTheLocalClockNotItsRenewTime()
    {
        using var setup = server.Client();
        await setup.CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "pgreplica-leader", NamespaceProperty = "default" },
            // A renewTime far in the past (clock skew) must not make the lease look expired.
            Spec = new V1LeaseSpec { HolderIdentity = "x", LeaseDurationSeconds = 10, RenewTime = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        });
        var time = new ManualTime();
        using var client = server.Client(caller: "b");
        var b = new LeaderElector(client, Config("b"), time);

        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.Equal("x", b.ObservedLeader);

        // The holder renews: the record changed, so the local validity window starts again.
        var lease = (await setup.GetAsync<V1Lease>("pgreplica-leader", "default"))!;
        lease.Spec!.RenewTime = new DateTime(2000, 1, 1, 0, 0, 1, DateTimeKind.Utc);
        await setup.ReplaceAsync(lease);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        var taken = await LeaseAsync();
        Assert.Equal("b", taken.Spec!.HolderIdentity);
        Assert.Equal(1, taken.Spec.LeaseTransitions);
        Assert.Equal(time.GetUtcNow().UtcDateTime, taken.Spec.AcquireTime);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(Interlocked.Read(ref ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }

    [Fact]
    public async Task LeaderStopsWhenAnotherHolderOverwritesTheLease()
    {
        await using var a = new Candidate(server, "a");
        await Eventually.TrueAsync(() => a.Leading);
        using var intruder = server.Client();
        await Eventually.TrueAsync(async () =>
        {
            var lease = (await intruder.GetAsync<V1Lease>("pgreplica-leader", "default"))!;
            lease.Spec!.HolderIdentity = "c";
            lease.Spec.LeaseDurationSeconds = 3600;
            lease.Spec.RenewTime = DateTime.UtcNow;
            try
            {
                await intruder.ReplaceAsync(lease);
                return true;
            }
            catch (PgReplica.Kube.Client.KubernetesApiException e) when (e.IsConflict)
            {
                return false;
            }
        });
        await Eventually.TrueAsync(() => !a.Leading && a.Stopped == 1);
        Assert.Equal("c", a.Elector.ObservedLeader);
    }
}
