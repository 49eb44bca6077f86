namespace PgReplica.Sandbox.Node;

/// <summary>Which probe a worker runs; each kind acts on its results differently.</summary>
internal enum ProbeKind
{
    /// <summary>Runs until the first success (the container counts as started) or failureThreshold failures (it is killed).</summary>
    Startup,

    /// <summary>Runs for the container's life; successThreshold successes make it ready, failureThreshold failures unready.</summary>
    Readiness,

    /// <summary>Runs for the container's life; failureThreshold consecutive failures get it killed.</summary>
    Liveness,
}

/// <summary>
/// One probe of one container run, as the kubelet's prober worker: waits initialDelaySeconds from the container's
/// start, probes every periodSeconds, counts consecutive results against the thresholds and reports the verdicts.
/// </summary>
internal sealed class ProbeWorker(ProbeKind kind, ProbeModel probe, Func<CancellationToken, Task<bool>> probeOnce, TimeProvider time)
{
    /// <summary>
    /// Runs the probe. Startup: true on success, false after the failure threshold. Liveness: false after the
    /// failure threshold. Readiness: reports each verdict to onVerdict and runs until cancelled.
    /// </summary>
    public async Task<bool> RunAsync(DateTimeOffset containerStarted, Action<bool>? onVerdict, CancellationToken ct)
    {
        var wait = containerStarted + TimeSpan.FromSeconds(probe.InitialDelaySeconds) - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }

        int successes = 0, failures = 0;
        while (true)
        {
            var ok = await probeOnce(ct).ConfigureAwait(false);
            successes = ok ? successes + 1 : 0;
            failures = ok ? 0 : failures + 1;
            switch (kind)
            {
                case ProbeKind.Startup when ok:
                    return true;
                case ProbeKind.Startup or ProbeKind.Liveness when failures >= probe.FailureThreshold:
                    return false;
                case ProbeKind.Readiness when successes >= probe.SuccessThreshold:
                    onVerdict?.Invoke(true);
                    break;
                case ProbeKind.Readiness when failures >= probe.FailureThreshold:
                    onVerdict?.Invoke(false);
                    break;
            }

            await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds), time, ct).ConfigureAwait(false);
        }
    }
}
