using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// <see cref="SandboxFaultApi.Path"/>, the sandbox's own (non-Kubernetes) endpoint for <see cref="ISandboxFaults"/>: GET lists
/// the faults in force; POST <c>{"action": "partition|heal|freeze|thaw|kill", "namespace", "pod", "peer", "container"}</c>
/// applies one and answers with the list. Failures are Status bodies, as everywhere on this server.
/// </summary>
internal static class SandboxFaultEndpoint
{
    /// <summary>Serves one request; faults is null when the sandbox runs no node agent.</summary>
    public static async Task HandleAsync(HttpContext ctx, ISandboxFaults? faults)
    {
        try
        {
            if (faults is null)
            {
                throw new SandboxFaultException(501, "this sandbox runs no node agent, so it has no faults to inject");
            }

            if (ctx.Request.Method == HttpMethods.Post)
            {
                var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
                    ?? throw new SandboxFaultException(400, "the body must be a JSON object");
                await ApplyAsync(faults, body, ctx.RequestAborted);
            }
            else if (ctx.Request.Method != HttpMethods.Get)
            {
                throw new SandboxFaultException(405, $"the method {ctx.Request.Method} is not allowed here: GET or POST");
            }

            await WriteAsync(ctx, 200, new JsonObject { ["faults"] = new JsonArray(faults.List().Select(ToJson).ToArray()) });
        }
        catch (SandboxFaultException e)
        {
            var reason = e.Code switch { 404 => "NotFound", 409 => "Conflict", 405 => "MethodNotAllowed", 501 => "NotImplemented", _ => "BadRequest" };
            await WriteAsync(ctx, e.Code, StatusObjects.Failure(e.Code, reason, e.Message));
        }
    }

    private static Task ApplyAsync(ISandboxFaults faults, JsonObject body, CancellationToken ct)
    {
        string? Field(string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
        var ns = Field("namespace") ?? "default";
        var pod = Field("pod");
        string Pod() => pod ?? throw new SandboxFaultException(400, $"{Field("action")} needs a pod");
        return Field("action") switch
        {
            "partition" => faults.PartitionAsync(ns, Pod(), Field("peer"), ct),
            "heal" => faults.HealAsync(ns, pod, ct),
            "freeze" => faults.FreezeAsync(ns, Pod(), Field("container"), ct),
            "thaw" => faults.ThawAsync(ns, Pod(), Field("container"), ct),
            "kill" => faults.KillAsync(ns, Pod(), Field("container"), ct),
            var other => throw new SandboxFaultException(400, $"unknown action \"{other}\": partition, heal, freeze, thaw or kill"),
        };
    }

    private static JsonNode ToJson(SandboxFault f)
    {
        var o = new JsonObject { ["kind"] = f.Kind, ["namespace"] = f.Namespace, ["pod"] = f.Pod };
        if (f.Peer is not null)
        {
            o["peer"] = f.Peer;
        }

        if (f.Container is not null)
        {
            o["container"] = f.Container;
        }

        return o;
    }

    private static async Task WriteAsync(HttpContext ctx, int code, JsonNode body)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted);
    }
}
