using Microsoft.Extensions.Time.Testing;
using PgReplica.Sandbox.Node;

namespace PgReplica.Sandbox.Tests.Node;

public class ProbeWorkerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadinessTurnsOnAfterSuccessThresholdAndOffAfterFailureThreshold()
    {
        var run = await RunAsync(ProbeKind.Readiness, Probe(success: 2, failure: 3), [true, true, false, false, false, true, true]);

        Assert.Equal([true, false, true], run.Verdicts);
    }

    [Fact]
    public async Task LivenessFailsOnlyAfterConsecutiveFailuresAndStartupPassesAtTheFirstSuccess()
    {
        var liveness = await RunAsync(ProbeKind.Liveness, Probe(success: 1, failure: 3), [false, false, true, false, false, false, true]);
        Assert.False(liveness.Result);
        Assert.Equal(6, liveness.Calls);

        var startup = await RunAsync(ProbeKind.Startup, Probe(success: 1, failure: 30), [false, false, true, false]);
        Assert.True(startup.Result);
        Assert.Equal(3, startup.Calls);

        var failedStartup = await RunAsync(ProbeKind.Startup, Probe(success: 1, failure: 2), [false, false, true]);
        Assert.False(failedStartup.Result);
    }

    [Fact]
    public async Task NoProbeRunsBeforeTheInitialDelayCountedFromTheContainerStart()
    {
        var time = new FakeTimeProvider(Start);
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var worker = new ProbeWorker(ProbeKind.Liveness, Probe(success: 1, failure: 1) with { InitialDelaySeconds = 10 }, _ =>
        {
            calls++;
            return Task.FromResult(false);
        }, time);
        // The container started 4 s before the worker: 6 s are left.
        time.Advance(TimeSpan.FromSeconds(4));
        var run = worker.RunAsync(Start, null, stop.Token);
        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Equal(0, calls);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await run);
        Assert.Equal(1, calls);
    }

    private static ProbeModel Probe(int success, int failure) =>
        new(["true"], null, null, null, null, InitialDelaySeconds: 0, PeriodSeconds: 1, TimeoutSeconds: 1, SuccessThreshold: success, FailureThreshold: failure);

    /// <summary>Feeds the results one per period on a fake clock; the run ends when the worker returns or the results run out.</summary>
    private static async Task<(bool? Result, int Calls, List<bool> Verdicts)> RunAsync(ProbeKind kind, ProbeModel probe, bool[] results)
    {
        var time = new FakeTimeProvider(Start);
        var verdicts = new List<bool>();
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var worker = new ProbeWorker(kind, probe, _ =>
        {
            if (calls == results.Length)
            {
                stop.Cancel();
                return Task.FromResult(false);
            }

            return Task.FromResult(results[calls++]);
        }, time);
        var run = worker.RunAsync(Start, verdicts.Add, stop.Token);
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(probe.PeriodSeconds));
            await Task.WhenAny(run, Task.Delay(5));
        }

        try
        {
            return (await run, calls, verdicts);
        }
        catch (OperationCanceledException)
        {
            return (null, calls, verdicts);
        }
    }
}
