using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Serves one watch: a line of JSON per event, flushed; synthetic ADDED events for rv unset/"0"; replay from the
/// store's window otherwise (or one ERROR 410 Expired event); BOOKMARKs when asked; open until timeoutSeconds.
/// </summary>
internal sealed class WatchStream(InMemoryObjectStore store, ApiResource r, string? ns, Func<JsonObject, bool> matches, bool asTable)
{
    /// <summary>How often a bookmark is sent when the client allows them.</summary>
    public static TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Streams events until the timeout passes or the client goes away.</summary>
    public async Task ServeAsync(HttpContext ctx, string? resourceVersion, bool bookmarks, int? timeoutSeconds)
    {
        var events = Channel.CreateUnbounded<StoreEvent>();
        using var subscription = store.Subscribe(e =>
        {
            if (e.Resource == r.Type && (ns is null || e.Object["metadata"]?["namespace"]?.GetValue<string>() == ns))
            {
                events.Writer.TryWrite(e);
            }
        });

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var visible = new HashSet<string>();
        long lastRv;
        var firstTable = true;

        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
        {
            IReadOnlyList<JsonObject> snapshot;
            do
            {
                lastRv = store.CurrentResourceVersion;
                snapshot = store.List(r.Type, ns);
            }
            while (lastRv != store.CurrentResourceVersion);

            foreach (var obj in snapshot.Where(matches))
            {
                visible.Add(Key(obj));
                await WriteAsync(ctx, "ADDED", obj, ref firstTable);
            }
        }
        else
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out lastRv))
            {
                throw ApiException.BadRequest($"invalid resource version: {resourceVersion}");
            }

            var history = store.EventsAfter(lastRv);
            if (history is null)
            {
                var expired = StatusObjects.Failure(410, "Expired", $"too old resource version: {resourceVersion} ({store.CurrentResourceVersion})");
                await WriteLineAsync(ctx, new JsonObject { ["type"] = "ERROR", ["object"] = expired });
                return;
            }

            // What the client saw at its version: objects the replay creates were not there yet.
            var firstEvents = history.Where(e => e.Resource == r.Type).GroupBy(e => Key(e.Object)).ToDictionary(g => g.Key, g => g.First());
            foreach (var obj in store.List(r.Type, ns))
            {
                var key = Key(obj);
                var seen = firstEvents.TryGetValue(key, out var first) ? first.Type != StoreEventType.Added && matches(first.Object) : matches(obj);
                if (seen)
                {
                    visible.Add(key);
                }
            }

            foreach (var (key, first) in firstEvents.Where(kv => kv.Value.Type == StoreEventType.Deleted && matches(kv.Value.Object)))
            {
                visible.Add(key);
            }

            foreach (var e in history.Where(e => e.Resource == r.Type))
            {
                if (ns is null || e.Object["metadata"]?["namespace"]?.GetValue<string>() == ns)
                {
                    firstTable = await SendAsync(ctx, e, visible, firstTable);
                }

                lastRv = e.ResourceVersion;
            }
        }

        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        if (timeoutSeconds is > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds.Value));
        }

        var nextBookmark = DateTime.UtcNow + BookmarkInterval;
        try
        {
            while (true)
            {
                var wait = bookmarks ? nextBookmark - DateTime.UtcNow : Timeout.InfiniteTimeSpan;
                if (bookmarks && wait <= TimeSpan.Zero)
                {
                    await BookmarkAsync(ctx, Math.Max(lastRv, store.CurrentResourceVersion));
                    nextBookmark = DateTime.UtcNow + BookmarkInterval;
                    continue;
                }

                using var waitCts = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                if (bookmarks)
                {
                    waitCts.CancelAfter(wait);
                }

                bool more;
                try
                {
                    more = await events.Reader.WaitToReadAsync(waitCts.Token);
                }
                catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                {
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (events.Reader.TryRead(out var e))
                {
                    if (e.ResourceVersion <= lastRv)
                    {
                        continue;
                    }

                    lastRv = e.ResourceVersion;
                    firstTable = await SendAsync(ctx, e, visible, firstTable);
                }

                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            // timeoutSeconds passed: a last bookmark tells the client where to resume.
            if (bookmarks)
            {
                await BookmarkAsync(ctx, Math.Max(lastRv, store.CurrentResourceVersion));
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    // An object moving into or out of the selection shows as ADDED or DELETED, as the real watch cache does.
    private async Task<bool> SendAsync(HttpContext ctx, StoreEvent e, HashSet<string> visible, bool firstTable)
    {
        var key = Key(e.Object);
        var now = e.Type != StoreEventType.Deleted && matches(e.Object);
        var before = visible.Contains(key);
        string? type = (before, now, e.Type) switch
        {
            (_, _, StoreEventType.Deleted) when before || matches(e.Object) => "DELETED",
            (false, true, _) => "ADDED",
            (true, true, _) => "MODIFIED",
            (true, false, _) => "DELETED",
            _ => null,
        };
        if (now)
        {
            visible.Add(key);
        }
        else
        {
            visible.Remove(key);
        }

        if (type is not null)
        {
            await WriteAsync(ctx, type, e.Object, ref firstTable);
        }

        return firstTable;
    }

    private Task WriteAsync(HttpContext ctx, string type, JsonObject obj, ref bool firstTable)
    {
        var presented = ObjectOperations.Present(r, obj);
        JsonNode payload = presented;
        if (asTable)
        {
            payload = TableConverter.Table(r, [presented], presented["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "", withColumns: firstTable);
            firstTable = false;
        }

        return WriteLineAsync(ctx, new JsonObject { ["type"] = type, ["object"] = payload });
    }

    private Task BookmarkAsync(HttpContext ctx, long rv) => WriteLineAsync(ctx, new JsonObject
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = r.Kind,
            ["apiVersion"] = r.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
        },
    });

    private static async Task WriteLineAsync(HttpContext ctx, JsonObject line)
    {
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"));
        await ctx.Response.Body.FlushAsync();
    }

    private static string Key(JsonObject obj) =>
        $"{obj["metadata"]?["namespace"]?.GetValue<string>()}/{obj["metadata"]?["name"]?.GetValue<string>()}";
}
