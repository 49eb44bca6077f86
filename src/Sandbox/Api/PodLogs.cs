using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>GET pods/NAME/log: a container's log file from the node agent, tailed and followed as asked.</summary>
internal static class PodLogs
{
    /// <summary>Streams the log as text/plain.</summary>
    public static async Task ServeAsync(HttpContext ctx, IObjectStore store, IPodRuntime? runtime, ApiResource pods, string ns, string name)
    {
        var pod = store.Get(ResourceType.Pods, ns, name) ?? throw ApiException.NotFound(pods, name);
        var q = ctx.Request.Query;
        var names = (pod["spec"]?["containers"] as JsonArray ?? []).Concat(pod["spec"]?["initContainers"] as JsonArray ?? [])
            .Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
        var container = q["container"].ToString();
        if (container.Length == 0)
        {
            var main = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
            container = main.Count == 1 ? main[0] : throw ApiException.BadRequest(
                $"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", main)}]");
        }

        if (!names.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }

        var previous = Bool(q["previous"]);
        var follow = Bool(q["follow"]);
        var path = runtime?.LogPath(ns, name, container, previous);
        if (path is null || !File.Exists(path))
        {
            throw ApiException.BadRequest(previous
                ? $"previous terminated container \"{container}\" in pod \"{name}\" not found"
                : $"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var tail = int.TryParse(q["tailLines"], out var t) && t >= 0 ? t : (int?)null;
        if (tail is not null)
        {
            file.Position = TailStart(file, tail.Value);
        }

        await file.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        if (!follow)
        {
            return;
        }

        var uid = pod["metadata"]?["uid"]?.GetValue<string>();
        var buffer = new byte[16384];
        try
        {
            while (!ctx.RequestAborted.IsCancellationRequested)
            {
                var n = await file.ReadAsync(buffer, ctx.RequestAborted);
                if (n > 0)
                {
                    await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                    continue;
                }

                // Follow ends when the pod is gone or the container moved on to a new log file (a restart).
                var now = store.Get(ResourceType.Pods, ns, name);
                if (now is null || now["metadata"]?["uid"]?.GetValue<string>() != uid || runtime!.LogPath(ns, name, container) != path)
                {
                    return;
                }

                await Task.Delay(200, ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped following.
        }
    }

    // Byte offset where the last `lines` lines start.
    private static long TailStart(FileStream file, int lines)
    {
        if (lines == 0)
        {
            return file.Length;
        }

        var pos = file.Length;
        var seen = 0;
        var buffer = new byte[4096];
        if (pos > 0)
        {
            file.Position = pos - 1;
            if (file.ReadByte() == '\n')
            {
                pos--; // a trailing newline ends the last line rather than starting an empty one
            }
        }

        while (pos > 0)
        {
            var chunk = (int)Math.Min(buffer.Length, pos);
            pos -= chunk;
            file.Position = pos;
            file.ReadExactly(buffer, 0, chunk);
            for (var i = chunk - 1; i >= 0; i--)
            {
                if (buffer[i] == '\n' && ++seen == lines)
                {
                    return pos + i + 1;
                }
            }
        }

        return 0;
    }

    private static bool Bool(Microsoft.Extensions.Primitives.StringValues v) =>
        v.ToString() is "true" or "1" or "True";
}
