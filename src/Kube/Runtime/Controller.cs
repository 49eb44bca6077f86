using System.Collections.Concurrent;
using System.Diagnostics;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>
/// Runs an <see cref="IEntityController{TEntity}"/>: watches the entity and its owned kinds, queues object
/// keys (not events), reconciles the latest cached object, backs off on errors, honours RequeueAfter.
/// </summary>
public sealed class Controller<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetesClient client;
    private readonly IEntityController<TEntity> reconciler;
    private readonly ControllerOptions options;
    private readonly List<Func<CancellationToken, Task>> secondaryWatches = [];
    private readonly ConcurrentDictionary<Type, object> secondaryStores = new();
    private readonly List<Action> secondaryStoreResets = [];
    private readonly List<Func<Task>> secondaryReady = [];
    private readonly ConcurrentDictionary<ObjectRef, TEntity> tombstones = new();
    private int runs;

    /// <summary>A controller for <typeparamref name="TEntity"/>; call <see cref="Owns{TChild}"/> before <see cref="RunAsync"/>.</summary>
    public Controller(IKubernetesClient client, IEntityController<TEntity> reconciler, ControllerOptions? options = null)
    {
        this.client = client;
        this.reconciler = reconciler;
        this.options = options ?? new ControllerOptions();
        Queue = new WorkQueue<ObjectRef>(this.options.ErrorBackoffBase, this.options.ErrorBackoffMax);
    }

    /// <summary>After each reconcile: key, outcome, duration, error (turn into metrics and logs).</summary>
    public event Action<ReconcileReport>? Reconciled;

    /// <summary>Cache of the entity kind (a fresh one for each run).</summary>
    public Store<TEntity> Store { get; private set; } = new();

    /// <summary>The work queue (its Count is the queue depth; a fresh one for each run).</summary>
    public WorkQueue<ObjectRef> Queue { get; private set; }

    /// <summary>Keys waiting for a worker.</summary>
    public int QueueDepth => Queue.Count;

    /// <summary>Watches <typeparamref name="TChild"/> (optionally only those matching <paramref name="labelSelector"/>) and queues the <typeparamref name="TEntity"/> named in its ownerReferences.</summary>
    public Controller<TEntity> Owns<TChild>(string? labelSelector = null)
        where TChild : class, IKubernetesObject<V1ObjectMeta> =>
        Watches<TChild>(child => OwnerMapping.OwnersOf<TEntity>(child), labelSelector);

    /// <summary>Watches <typeparamref name="TOther"/> and queues the entity keys <paramref name="map"/> returns.</summary>
    public Controller<TEntity> Watches<TOther>(Func<TOther, IEnumerable<ObjectRef>> map, string? labelSelector = null)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        secondaryStores[typeof(TOther)] = new Store<TOther>();
        secondaryStoreResets.Add(() => secondaryStores[typeof(TOther)] = new Store<TOther>());
        secondaryReady.Add(() => ((Store<TOther>)secondaryStores[typeof(TOther)]).Ready);
        secondaryWatches.Add(async ct =>
        {
            var store = (Store<TOther>)secondaryStores[typeof(TOther)];
            var watcher = new Watcher<TOther>(client, WatcherOptionsFor(labelSelector));
            await foreach (var ev in watcher.RunAsync(ct).Reflect(store).WithCancellation(ct))
            {
                if (ev.Object is { } obj)
                {
                    foreach (var key in map(obj))
                    {
                        Queue.Add(key);
                    }
                }
            }
        });
        return this;
    }

    /// <summary>The cache of an owned or watched kind registered with <see cref="Owns{TChild}"/> or <see cref="Watches{TOther}"/>.</summary>
    public Store<TOther> StoreOf<TOther>()
        where TOther : class, IKubernetesObject<V1ObjectMeta> =>
        (Store<TOther>)secondaryStores[typeof(TOther)];

    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled (e.g. leadership lost); reconciles start once every cache is filled.
    /// May be called again after it returned (a new leadership term): caches and queue start empty.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref runs) > 1)
        {
            Store = new Store<TEntity>();
            Queue = new WorkQueue<ObjectRef>(options.ErrorBackoffBase, options.ErrorBackoffMax);
            tombstones.Clear();
            secondaryStoreResets.ForEach(reset => reset());
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = new List<Task> { Guard(WatchPrimaryAsync(stop.Token)) };
        tasks.AddRange(secondaryWatches.Select(w => Guard(w(stop.Token))));
        try
        {
            // Reconcilers read the owned kinds' stores too: start once every cache holds its first list.
            await Task.WhenAll(secondaryReady.Select(ready => ready()).Append(Store.Ready)).WaitAsync(stop.Token);
            tasks.AddRange(Enumerable.Range(0, Math.Max(1, options.MaxConcurrentReconciles)).Select(_ => Guard(WorkAsync(stop.Token))));
            if (options.ResyncPeriod is { } period)
            {
                tasks.Add(Guard(ResyncAsync(period, stop.Token)));
            }

            await Task.WhenAny(tasks.Append(Task.Delay(Timeout.Infinite, stop.Token)));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            stop.Cancel();
            Queue.ShutDown();
            await Task.WhenAll(tasks);
        }
    }

    private WatcherOptions WatcherOptionsFor(string? labelSelector) =>
        options.Watcher with { Namespace = options.Namespace, LabelSelector = labelSelector };

    private static async Task Guard(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    private async Task WatchPrimaryAsync(CancellationToken ct)
    {
        var watcher = new Watcher<TEntity>(client, WatcherOptionsFor(options.LabelSelector));
        IReadOnlyList<TEntity> beforeRelist = [];
        await foreach (var ev in watcher.RunAsync(ct).WithCancellation(ct))
        {
            if (ev.Type == WatcherEventType.InitStarted)
            {
                beforeRelist = Store.List();
            }

            Store.Apply(ev);
            switch (ev.Type)
            {
                case WatcherEventType.InitApply or WatcherEventType.Apply:
                    Queue.Add(ObjectRef.From(ev.Object!));
                    break;
                case WatcherEventType.Delete:
                    tombstones[ObjectRef.From(ev.Object!)] = ev.Object!;
                    Queue.Add(ObjectRef.From(ev.Object!));
                    break;
                case WatcherEventType.InitDone:
                    // Objects deleted while the watch was down never send DELETED; a relist reveals them.
                    foreach (var gone in beforeRelist.Where(o => Store.Get(ObjectRef.From(o)) is null))
                    {
                        tombstones[ObjectRef.From(gone)] = gone;
                        Queue.Add(ObjectRef.From(gone));
                    }

                    break;
            }
        }
    }

    private async Task ResyncAsync(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(ct))
        {
            foreach (var o in Store.List())
            {
                Queue.Add(ObjectRef.From(o));
            }
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var key = await Queue.GetAsync(ct);
            var clock = Stopwatch.StartNew();
            ReconcileReport report;
            try
            {
                report = await ReconcileOneAsync(key, clock, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Queue.AddRateLimited(key);
                report = new ReconcileReport(key, ReconcileOutcome.Error, clock.Elapsed, e);
            }
            finally
            {
                Queue.Done(key);
            }

            Reconciled?.Invoke(report);
        }
    }

    private async Task<ReconcileReport> ReconcileOneAsync(ObjectRef key, Stopwatch clock, CancellationToken ct)
    {
        var entity = Store.Get(key);
        if (entity is null)
        {
            if (tombstones.TryRemove(key, out var last))
            {
                await reconciler.DeletedAsync(last, ct);
            }

            Queue.Forget(key);
            return new ReconcileReport(key, ReconcileOutcome.Deleted, clock.Elapsed, null);
        }

        tombstones.TryRemove(key, out _);
        var result = await reconciler.ReconcileAsync(entity, ct);
        Queue.Forget(key);
        if (result.RequeueAfter is { } after)
        {
            Queue.AddAfter(key, after);
            return new ReconcileReport(key, ReconcileOutcome.Requeue, clock.Elapsed, null);
        }

        return new ReconcileReport(key, ReconcileOutcome.Success, clock.Elapsed, null);
    }
}
