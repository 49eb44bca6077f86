using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// pods/NAME/exec over a WebSocket (v5.channel.k8s.io, or v4): each binary message starts with a channel byte,
/// 0 stdin, 1 stdout, 2 stderr, 3 error (a Status when the command ends), 4 resize, 255 close (v5: stdin ended).
/// </summary>
internal static class PodExec
{
    private static readonly string[] Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    /// <summary>Upgrades the request and runs the command through the node agent.</summary>
    public static async Task ServeAsync(HttpContext ctx, IObjectStore store, IPodRuntime? runtime, ApiResource pods, string ns, string name)
    {
        var pod = store.Get(ResourceType.Pods, ns, name) ?? throw ApiException.NotFound(pods, name);
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            throw new ApiException(400, "BadRequest", "exec needs a WebSocket upgrade (v5.channel.k8s.io); SPDY is not served by the sandbox");
        }

        var offered = ctx.WebSockets.WebSocketRequestedProtocols;
        var protocol = Protocols.FirstOrDefault(offered.Contains)
            ?? throw ApiException.BadRequest($"none of the offered subprotocols [{string.Join(", ", offered)}] is supported");
        var q = ctx.Request.Query;
        var command = q["command"].Select(c => c ?? "").ToList();
        var container = q["container"].ToString();
        if (container.Length == 0)
        {
            container = pod["spec"]?["containers"]?[0]?["name"]?.GetValue<string>() ?? "";
        }

        var wantStdin = Flag(q["stdin"]);
        var tty = Flag(q["tty"]);
        var wantStderr = Flag(q["stderr"]) && !tty;
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol });
        var send = new SemaphoreSlim(1, 1);
        var stdinPipe = new Pipe();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        var reader = Task.Run(() => ReadClientAsync(socket, stdinPipe.Writer, done.Token));

        JsonObject status;
        if (runtime is null)
        {
            status = Status(1, "the sandbox has no node agent to run commands");
        }
        else
        {
            try
            {
                await using var stdout = new ChannelStream(socket, 1, send);
                await using var stderr = new ChannelStream(socket, 2, send);
                var exit = await runtime.ExecAsync(
                    new ExecRequest(ns, name, container, command, wantStdin ? stdinPipe.Reader.AsStream() : null, stdout, wantStderr ? stderr : null, tty),
                    done.Token);
                status = exit == 0
                    ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
                    : Status(exit, $"command terminated with non-zero exit code: error executing command [{string.Join(" ", command)}], exit code {exit}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                status = new JsonObject
                {
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Failure",
                    ["message"] = e.Message,
                    ["reason"] = "InternalError",
                    ["code"] = 500,
                };
            }
        }

        try
        {
            await SendAsync(socket, send, 3, Encoding.UTF8.GetBytes(status.ToJsonString()), done.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", done.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client is gone already.
        }

        // Let the client answer the close handshake before the connection goes, or it sees a reset.
        await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        await done.CancelAsync();
        try
        {
            await reader;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private static JsonObject Status(int exit, string message) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "NonZeroExitCode",
        ["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exit.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        },
    };

    private static async Task ReadClientAsync(WebSocket socket, PipeWriter stdin, CancellationToken ct)
    {
        var buffer = new byte[32768];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                var bytes = message.ToArray();
                if (bytes.Length == 0)
                {
                    continue;
                }

                if (bytes[0] == 0 && bytes.Length > 1)
                {
                    await stdin.WriteAsync(bytes.AsMemory(1), ct);
                }
                else if (bytes[0] == 255 && bytes.Length > 1 && bytes[1] == 0)
                {
                    await stdin.CompleteAsync();
                }

                // Channel 4 (resize) is accepted and ignored: the runtime's terminal keeps its size.
            }
        }
        finally
        {
            await stdin.CompleteAsync();
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim gate, byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsMemory(1));
        await gate.WaitAsync(ct);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private static bool Flag(Microsoft.Extensions.Primitives.StringValues v) => v.ToString() is "true" or "1" or "True";

    // Writes become channel-prefixed binary messages.
    private sealed class ChannelStream(WebSocket socket, byte channel, SemaphoreSlim gate) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length > 0)
            {
                await SendAsync(socket, channel, buffer, gate, cancellationToken);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private static Task SendAsync(WebSocket socket, byte channel, ReadOnlyMemory<byte> data, SemaphoreSlim gate, CancellationToken ct) =>
            PodExec.SendAsync(socket, gate, channel, data, ct);
    }
}
