using PgReplica.Kube.Runtime;
using PgReplica.Kube.Tests.Harness;

namespace PgReplica.Kube.Tests.Runtime;

public class WorkQueueTests
{
    [Fact]
    public void AddingAQueuedKeyAgainIsDeduplicated()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        q.Add("a");
        q.Add("b");
        q.Add("a");
        Assert.Equal(2, q.Count);
    }

    [Fact]
    public async Task AKeyBeingProcessedIsNotHandedOutAgainUntilDone()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        var key = await q.GetAsync();
        q.Add("a");
        q.Add("a");
        Assert.Equal(0, q.Count);
        Assert.Equal(1, q.Processing);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q.GetAsync(shortWait.Token));

        q.Done(key);
        Assert.Equal(1, q.Count);
        Assert.Equal("a", await q.GetAsync());
    }

    [Fact]
    public void BackOffDoublesFromFiveMillisecondsAndIsCappedAndForgotten()
    {
        using var q = new WorkQueue<string>(maxDelay: TimeSpan.FromMilliseconds(40));
        var delays = Enumerable.Range(0, 6).Select(_ => q.AddRateLimited("a").TotalMilliseconds).ToList();
        Assert.Equal([5, 10, 20, 40, 40, 40], delays);
        Assert.Equal(6, q.NumRequeues("a"));
        q.Forget("a");
        Assert.Equal(0, q.NumRequeues("a"));
        Assert.Equal(5, q.AddRateLimited("a").TotalMilliseconds);
        Assert.Equal(5, q.AddRateLimited("b").TotalMilliseconds);
    }

    [Fact]
    public async Task AddAfterDeliversTheKeyLater()
    {
        using var q = new WorkQueue<string>();
        q.AddAfter("a", TimeSpan.FromMilliseconds(50));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal("a", await q.GetAsync(cts.Token));
    }

    [Fact]
    public async Task ShutDownWakesWaitingWorkers()
    {
        using var q = new WorkQueue<string>();
        var waiting = q.GetAsync();
        q.ShutDown();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task ManyWorkersNeverProcessTheSameKeyAtOnceAndLoseNoAdds()
    {
        using var q = new WorkQueue<int>();
        var active = new int[10];
        var maxSeen = 0;
        var processed = new int[10];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var key = await q.GetAsync(cts.Token);
                    var now = Interlocked.Increment(ref active[key]);
                    InterlockedMax(ref maxSeen, now);
                    await Task.Yield();
                    Thread.SpinWait(1000);
                    Interlocked.Decrement(ref active[key]);
                    Interlocked.Increment(ref processed[key]);
                    q.Done(key);
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();

        for (var i = 0; i < 2000; i++)
        {
            q.Add(i % 10);
            if (i % 50 == 0)
            {
                await Task.Yield();
            }
        }

        // Each key added after its last hand-out is processed again, so every key ends processed at least once with the queue drained.
        await Eventually.TrueAsync(() => q.Count == 0 && q.Processing == 0 && processed.All(p => p > 0));
        q.ShutDown();
        await Task.WhenAll(workers);
        Assert.Equal(1, maxSeen);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
