namespace PgReplica.Kube.Runtime;

/// <summary>
/// A client-go style work queue: a key queued once however often it is added, never handed to two workers
/// at once (re-added keys wait for <see cref="Done"/>), per-key exponential back-off, delayed adds.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Queue<TKey> queue = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly SemaphoreSlim available = new(0);
    private readonly CancellationTokenSource shutdown = new();
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;

    /// <summary>A queue with back-off from <paramref name="baseDelay"/> (default 5 ms) doubling to <paramref name="maxDelay"/> (default 1000 s).</summary>
    public WorkQueue(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        this.baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        this.maxDelay = maxDelay ?? TimeSpan.FromSeconds(1000);
    }

    /// <summary>Keys waiting to be handed out (queue depth, for metrics).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>Keys being processed now.</summary>
    public int Processing
    {
        get
        {
            lock (gate)
            {
                return processing.Count;
            }
        }
    }

    /// <summary>True after <see cref="ShutDown"/>.</summary>
    public bool IsShutDown => shutdown.IsCancellationRequested;

    /// <summary>Queues <paramref name="key"/> unless it is already waiting; a key being processed is queued again after Done.</summary>
    public void Add(TKey key)
    {
        lock (gate)
        {
            if (shutdown.IsCancellationRequested || !dirty.Add(key) || processing.Contains(key))
            {
                return;
            }

            queue.Enqueue(key);
        }

        available.Release();
    }

    /// <summary>Adds <paramref name="key"/> after <paramref name="delay"/>.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (shutdown.IsCancellationRequested)
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = Task.Delay(delay, shutdown.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled)
            {
                Add(key);
            }
        }, TaskScheduler.Default);
    }

    /// <summary>Adds <paramref name="key"/> after its back-off (5 ms, 10 ms, 20 ms … capped); returns the delay used.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        int n;
        lock (gate)
        {
            failures[key] = n = failures.GetValueOrDefault(key) + 1;
        }

        var delay = Backoff.For(n, baseDelay, maxDelay);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the back-off of <paramref name="key"/> (after a success).</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <summary>How many failures in a row <paramref name="key"/> has had.</summary>
    public int NumRequeues(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for the next key and marks it processing; the caller must call <see cref="Done"/>.</summary>
    public async Task<TKey> GetAsync(CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);
        await available.WaitAsync(linked.Token);
        lock (gate)
        {
            var key = queue.Dequeue();
            dirty.Remove(key);
            processing.Add(key);
            return key;
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile it is queued again.</summary>
    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (!dirty.Contains(key) || shutdown.IsCancellationRequested)
            {
                return;
            }

            queue.Enqueue(key);
        }

        available.Release();
    }

    /// <summary>Stops handing out keys; waiting <see cref="GetAsync"/> calls are cancelled.</summary>
    public void ShutDown() => shutdown.Cancel();

    /// <inheritdoc />
    public void Dispose() => shutdown.Cancel();
}
