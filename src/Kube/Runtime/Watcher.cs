using System.Runtime.CompilerServices;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>
/// List, then watch from the list's resourceVersion; resume from the last seen RV after a dropped
/// connection; relist on 410 Gone/Expired (as an HTTP answer or an in-stream ERROR). Never ends until cancelled.
/// </summary>
public sealed class Watcher<T>(IKubernetesClient client, WatcherOptions? options = null)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly WatcherOptions options = options ?? new WatcherOptions();

    /// <summary>The resourceVersion the watcher would resume from (null before the first list).</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>Number of lists performed (first list plus relists).</summary>
    public int ListCount { get; private set; }

    /// <summary>Runs the state machine, yielding events until <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<WatcherEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        while (!ct.IsCancellationRequested)
        {
            // Listing state: a failed list is retried with back-off.
            KubernetesList<T>? list = null;
            try
            {
                list = await client.ListAsync<T>(options.Namespace, new ListOptions { LabelSelector = options.LabelSelector, FieldSelector = options.FieldSelector }, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                options.OnError?.Invoke(e);
            }

            if (list is null)
            {
                await DelayAsync(backoff.Next(), ct);
                continue;
            }

            ListCount++;
            backoff.Reset();
            yield return new WatcherEvent<T>(WatcherEventType.InitStarted, null);
            foreach (var item in list.Items)
            {
                yield return new WatcherEvent<T>(WatcherEventType.InitApply, item);
            }

            yield return new WatcherEvent<T>(WatcherEventType.InitDone, null);
            LastResourceVersion = list.Metadata?.ResourceVersion;

            // Watching state: lasts until the RV is too old (relist) or cancellation.
            var relist = false;
            while (!relist && !ct.IsCancellationRequested)
            {
                var watchOptions = new ListOptions
                {
                    LabelSelector = options.LabelSelector,
                    FieldSelector = options.FieldSelector,
                    ResourceVersion = LastResourceVersion,
                    TimeoutSeconds = options.WatchTimeoutSeconds,
                    AllowWatchBookmarks = true,
                };
                await using var stream = client.WatchAsync<T>(options.Namespace, watchOptions, ct).GetAsyncEnumerator(ct);
                var failed = false;
                var received = 0;
                var opened = System.Diagnostics.Stopwatch.GetTimestamp();
                while (true)
                {
                    WatchEvent<T> ev;
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break;
                        }

                        ev = stream.Current;
                    }
                    catch (KubernetesApiException e) when (e.IsGone)
                    {
                        relist = true;
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        options.OnError?.Invoke(e);
                        failed = true;
                        break;
                    }

                    received++;
                    switch (ev.Type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            LastResourceVersion = ev.Object!.Metadata.ResourceVersion ?? LastResourceVersion;
                            yield return new WatcherEvent<T>(WatcherEventType.Apply, ev.Object);
                            break;
                        case WatchEventType.Deleted:
                            LastResourceVersion = ev.Object!.Metadata.ResourceVersion ?? LastResourceVersion;
                            yield return new WatcherEvent<T>(WatcherEventType.Delete, ev.Object);
                            break;
                        case WatchEventType.Bookmark:
                            LastResourceVersion = ev.Object?.Metadata.ResourceVersion ?? LastResourceVersion;
                            break;
                        case WatchEventType.Error when ev.Error?.Code == 410 || ev.Error?.Reason is "Expired" or "Gone":
                            relist = true;
                            break;
                        case WatchEventType.Error:
                            options.OnError?.Invoke(new KubernetesApiException(ev.Error ?? new V1Status { Message = "watch error" }));
                            failed = true;
                            break;
                    }

                    if (relist || failed)
                    {
                        break;
                    }
                }

                // Back off after errors, and after streams that closed at once or expired without delivering
                // anything, so a server that ends watches immediately (or expires every RV) is not hammered.
                // A quiet stream that ran until the server's timeout reopens at once.
                var quick = System.Diagnostics.Stopwatch.GetElapsedTime(opened) < TimeSpan.FromSeconds(1);
                if (failed || (quick && received == 0) || (relist && received <= 1))
                {
                    await DelayAsync(backoff.Next(), ct);
                }
                else
                {
                    backoff.Reset();
                }
            }
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            // The loop condition ends the watcher.
        }
    }
}
