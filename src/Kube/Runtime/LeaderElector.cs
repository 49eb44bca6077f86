using PgReplica.Kube.Client;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 V1Lease (client-go <c>leaderelection</c>): create or take over the
/// lease with a resourceVersion compare-and-swap, renew it, step down when renewal fails past the deadline,
/// release it on shutdown. Another holder's lease is judged expired on the local clock, from when its record last changed.
/// </summary>
public sealed class LeaderElector(IKubernetesClient client, LeaderElectionConfig config, TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private string? observedRecord;
    private long observedAt;
    private V1Lease? lastLease;

    /// <summary>Raised when this candidate becomes leader.</summary>
    public event Action? OnStartedLeading;

    /// <summary>Raised when this candidate stops leading (lost, or released on shutdown).</summary>
    public event Action? OnStoppedLeading;

    /// <summary>Raised with the holder's identity whenever a different holder is observed.</summary>
    public event Action<string>? OnNewLeader;

    /// <summary>True while this candidate holds the lease.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>The holder last observed.</summary>
    public string? ObservedLeader { get; private set; }

    /// <summary>
    /// Campaigns until leader, runs <paramref name="whileLeading"/> with a token cancelled when leadership is lost,
    /// and returns after stepping down: leadership lost, <paramref name="ct"/> cancelled, or the work ended. On
    /// cancellation or when the work ended the lease is released. An exception from the work is rethrown after stepping down.
    /// Like client-go, it does not campaign again; call it again (or exit the process) to rejoin.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken ct)
    {
        if (!await AcquireAsync(ct))
        {
            return;
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        IsLeader = true;
        OnStartedLeading?.Invoke();
        var work = Task.Run(() => whileLeading(leading.Token), CancellationToken.None);

        // Work that ends on its own (or fails) ends the term: a leader doing nothing must not keep the lease.
        _ = work.ContinueWith(_ => renewing.Cancel(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        Exception? failure = null;
        try
        {
            await RenewLoopAsync(renewing.Token);
        }
        finally
        {
            IsLeader = false;
            var workEndedFirst = work.IsCompleted;
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException)
            {
                // The work stops because leadership ended.
            }
            catch (Exception e)
            {
                failure = e;
            }

            if (config.ReleaseOnCancel && (ct.IsCancellationRequested || workEndedFirst))
            {
                await ReleaseAsync();
            }

            OnStoppedLeading?.Invoke();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>One attempt to acquire or renew; true when this candidate holds the lease afterwards.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lease = await client.GetAsync<V1Lease>(config.LeaseName, config.LeaseNamespace, ct);
        if (lease is null)
        {
            var created = new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = config.LeaseName, NamespaceProperty = config.LeaseNamespace },
                Spec = NewSpec(now, transitions: 0, acquireTime: now),
            };
            try
            {
                lastLease = await client.CreateAsync(created, ct);
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists || e.IsConflict)
            {
                return false;
            }

            Observe(lastLease);
            return true;
        }

        Observe(lease);
        var spec = lease.Spec ?? new V1LeaseSpec();
        var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != config.Identity;
        if (heldByOther && !ExpiredLocally(spec))
        {
            return false;
        }

        var iAmHolder = spec.HolderIdentity == config.Identity;
        lease.Spec = iAmHolder
            ? NewSpec(now, spec.LeaseTransitions ?? 0, spec.AcquireTime is { } acquired ? new DateTimeOffset(acquired, TimeSpan.Zero) : now)
            : NewSpec(now, (spec.LeaseTransitions ?? 0) + 1, now);
        try
        {
            // The read object's resourceVersion makes this PUT a compare-and-swap.
            lastLease = await client.ReplaceAsync(lease, ct);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            return false;
        }

        Observe(lastLease);
        return true;
    }

    private async Task<bool> AcquireAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await TryAcquireOrRenewAsync(ct))
                {
                    return true;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or OperationCanceledException or IOException or System.Text.Json.JsonException)
            {
                // Transient API errors: try again next period.
            }

            try
            {
                await Task.Delay(config.RetryPeriod, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task RenewLoopAsync(CancellationToken ct)
    {
        var lastRenew = clock.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(config.RetryPeriod, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var renewed = false;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(config.RenewDeadline);
                renewed = await TryAcquireOrRenewAsync(attempt.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // Shutdown while a renewal was in flight.
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or OperationCanceledException or IOException or System.Text.Json.JsonException)
            {
                renewed = false;
            }

            if (renewed)
            {
                lastRenew = clock.GetTimestamp();
            }
            else if (clock.GetElapsedTime(lastRenew) >= config.RenewDeadline || (ObservedLeader is not null && ObservedLeader != config.Identity))
            {
                return; // Lost: another holder took over, or renewal failed for the whole deadline.
            }
        }
    }

    private async Task ReleaseAsync()
    {
        if (lastLease?.Spec?.HolderIdentity != config.Identity)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(config.RenewDeadline);
            var lease = lastLease;
            lease.Spec = new V1LeaseSpec
            {
                // The holder stays: client-go's (and the package's) elector never takes a Lease with an empty
                // holder, but takes any whose duration ran out, which one second soon is.
                HolderIdentity = config.Identity,
                LeaseDurationSeconds = 1,
                LeaseTransitions = lease.Spec?.LeaseTransitions,
                AcquireTime = lease.Spec?.AcquireTime,
                RenewTime = clock.GetUtcNow().UtcDateTime,
            };
            lastLease = await client.ReplaceAsync(lease, timeout.Token);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or OperationCanceledException)
        {
            // Best effort: the lease expires on its own.
        }
    }

    private V1LeaseSpec NewSpec(DateTimeOffset now, int transitions, DateTimeOffset acquireTime) => new()
    {
        HolderIdentity = config.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(config.LeaseDuration.TotalSeconds),
        AcquireTime = acquireTime.UtcDateTime,
        RenewTime = now.UtcDateTime,
        LeaseTransitions = transitions,
    };

    private void Observe(V1Lease lease)
    {
        var spec = lease.Spec ?? new V1LeaseSpec();
        var record = $"{spec.HolderIdentity}|{spec.RenewTime:O}|{spec.AcquireTime:O}|{spec.LeaseTransitions}|{spec.LeaseDurationSeconds}";
        if (record != observedRecord)
        {
            observedRecord = record;
            observedAt = clock.GetTimestamp();
        }

        if (spec.HolderIdentity != ObservedLeader)
        {
            ObservedLeader = spec.HolderIdentity;
            if (!string.IsNullOrEmpty(spec.HolderIdentity))
            {
                OnNewLeader?.Invoke(spec.HolderIdentity);
            }
        }
    }

    private bool ExpiredLocally(V1LeaseSpec spec)
    {
        var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)config.LeaseDuration.TotalSeconds);
        return clock.GetElapsedTime(observedAt) >= duration;
    }
}
