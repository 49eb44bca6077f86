using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>Routes every HTTP request: discovery, OpenAPI, resource verbs, subresources, watch, logs and exec.</summary>
internal sealed class ApiRequestHandler(ObjectOperations ops, Func<IPodRuntime?> runtime)
{
    private InMemoryObjectStore Store => ops.Store;

    private IReadOnlyList<ApiResource> All => ops.Catalog.All;

    /// <summary>Handles one request; failures become Status bodies.</summary>
    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            await DispatchAsync(ctx);
        }
        catch (ApiException e)
        {
            await WriteJsonAsync(ctx, e.Code, e.ToStatus());
        }
        catch (JsonException e)
        {
            await WriteJsonAsync(ctx, 400, StatusObjects.Failure(400, "BadRequest", $"the object provided is unrecognized: {e.Message}"));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (StoreException e) when (!ctx.Response.HasStarted)
        {
            await WriteJsonAsync(ctx, e.Code, StatusObjects.Failure(e.Code, e.Reason, e.Message));
        }
        catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
        {
            await WriteJsonAsync(ctx, 500, StatusObjects.Failure(500, "InternalError", $"Internal error occurred: {e.Message}"));
        }
        catch (Exception e) when (ctx.Response.HasStarted)
        {
            _ = e; // Nothing more can be said once a stream has started.
        }
    }

    private async Task DispatchAsync(HttpContext ctx)
    {
        var segments = (ctx.Request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(ctx, 200, Discovery.Version());
                return;
            case ["healthz" or "livez" or "readyz", ..]:
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("ok");
                return;
            case ["api" or "apis"] when AggregatedDiscovery.Wanted(ctx.Request.Headers.Accept.ToString()):
                await WriteJsonAsync(ctx, 200, AggregatedDiscovery.List(All, core: segments[0] == "api"), AggregatedDiscovery.ContentType);
                return;
            case ["api"]:
                await WriteJsonAsync(ctx, 200, Discovery.CoreVersions($"127.0.0.1:{ctx.Connection.LocalPort}"));
                return;
            case ["apis"]:
                await WriteJsonAsync(ctx, 200, Discovery.GroupList(All));
                return;
            case ["api", var v]:
                await WriteJsonAsync(ctx, 200, Discovery.ResourceList(All, "", v) ?? throw NotFoundPath(ctx));
                return;
            case ["apis", var g]:
                await WriteJsonAsync(ctx, 200, Discovery.Group(All, g) ?? throw NotFoundPath(ctx));
                return;
            case ["apis", var g, var v]:
                await WriteJsonAsync(ctx, 200, Discovery.ResourceList(All, g, v) ?? throw NotFoundPath(ctx));
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(ctx, 200, OpenApiDocuments.Index(All));
                return;
            case ["openapi", "v3", "api", var v]:
                await WriteJsonAsync(ctx, 200, OpenApiDocuments.GroupVersion(All, "", v) ?? throw NotFoundPath(ctx));
                return;
            case ["openapi", "v3", "apis", var g, var v]:
                await WriteJsonAsync(ctx, 200, OpenApiDocuments.GroupVersion(All, g, v) ?? throw NotFoundPath(ctx));
                return;
            case ["sandbox", "v1", "faults"]:
                await SandboxFaultEndpoint.HandleAsync(ctx, runtime() as ISandboxFaults);
                return;
            case []:
                await WriteJsonAsync(ctx, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/openapi/v3", "/version") });
                return;
        }

        var path = ApiPath.Parse(segments) ?? throw NotFoundPath(ctx);
        // Namespaces are addressed as /api/v1/namespaces/NAME[/status], which parses like a namespaced collection.
        if (path.Group.Length == 0 && path.Namespace is not null && path.Name is null && path.Plural is "status" or "finalize")
        {
            path = path with { Namespace = null, Plural = "namespaces", Name = path.Namespace, Subresource = path.Plural };
        }

        var r = ops.Catalog.Find(path.Group, path.Version, path.Plural) ?? throw NotFoundPath(ctx);
        var ns = r.Namespaced ? path.Namespace : null;
        if (!r.Namespaced && path.Namespace is not null)
        {
            throw NotFoundPath(ctx);
        }

        if (path.Name is null)
        {
            await CollectionAsync(ctx, r, ns, method);
        }
        else if (path.Subresource is null)
        {
            await ObjectAsync(ctx, r, ns ?? (r.Namespaced ? "default" : null), path.Name, method);
        }
        else
        {
            await SubresourceAsync(ctx, r, ns, path.Name, path.Subresource, method);
        }
    }

    private async Task CollectionAsync(HttpContext ctx, ApiResource r, string? ns, string method)
    {
        var q = ctx.Request.Query;
        switch (method)
        {
            case "GET":
                var labels = LabelSelector.Parse(q["labelSelector"]);
                var fields = FieldSelector.Parse(q["fieldSelector"]);
                bool Matches(JsonObject o) => labels.Matches(o) && fields.Matches(o);
                if (Flag(q["watch"]))
                {
                    var timeout = int.TryParse(q["timeoutSeconds"], out var t) ? t : (int?)null;
                    await new WatchStream(Store, r, ns, Matches, WantsTable(ctx))
                        .ServeAsync(ctx, q["resourceVersion"].ToString(), Flag(q["allowWatchBookmarks"]), timeout);
                    return;
                }

                long rv;
                IReadOnlyList<JsonObject> items;
                do
                {
                    rv = Store.CurrentResourceVersion;
                    items = Store.List(r.Type, ns);
                }
                while (rv != Store.CurrentResourceVersion);

                var selected = items.Where(Matches).Select(o => ObjectOperations.Present(r, o)).ToList();
                var rvText = rv.ToString(CultureInfo.InvariantCulture);
                if (WantsTable(ctx))
                {
                    await WriteJsonAsync(ctx, 200, TableConverter.Table(r, selected, rvText), TableContentType);
                    return;
                }

                await WriteJsonAsync(ctx, 200, new JsonObject
                {
                    ["kind"] = r.ListKind,
                    ["apiVersion"] = r.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = rvText },
                    ["items"] = new JsonArray(selected.Select(o => (JsonNode)o).ToArray()),
                });
                return;
            case "POST":
                {
                    var body = await ReadObjectAsync(ctx);
                    var warnings = new List<string>();
                    var created = ops.Create(r, ns, body, q["fieldValidation"], DryRun(ctx), warnings);
                    AddWarnings(ctx, warnings);
                    await WriteJsonAsync(ctx, 201, created);
                    return;
                }

            case "DELETE":
                {
                    var labelsSel = LabelSelector.Parse(q["labelSelector"]);
                    var fieldsSel = FieldSelector.Parse(q["fieldSelector"]);
                    var options = DeleteOptions.From(await ReadOptionalObjectAsync(ctx), q["propagationPolicy"], DryRun(ctx), q["gracePeriodSeconds"]);
                    var deleted = new JsonArray();
                    foreach (var o in Store.List(r.Type, ns).Where(o => labelsSel.Matches(o) && fieldsSel.Matches(o)))
                    {
                        var name = o["metadata"]!["name"]!.GetValue<string>();
                        ops.Delete(r, o["metadata"]?["namespace"]?.GetValue<string>(), name, options);
                        deleted.Add(ObjectOperations.Present(r, o));
                    }

                    await WriteJsonAsync(ctx, 200, new JsonObject
                    {
                        ["kind"] = r.ListKind,
                        ["apiVersion"] = r.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = Store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
                        ["items"] = deleted,
                    });
                    return;
                }

            default:
                throw MethodNotAllowed(method);
        }
    }

    private async Task ObjectAsync(HttpContext ctx, ApiResource r, string? ns, string name, string method)
    {
        var q = ctx.Request.Query;
        var warnings = new List<string>();
        switch (method)
        {
            case "GET":
                var obj = ops.Get(r, ns, name);
                if (WantsTable(ctx))
                {
                    await WriteJsonAsync(ctx, 200, TableConverter.Table(r, [obj], obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? ""), TableContentType);
                    return;
                }

                await WriteJsonAsync(ctx, 200, obj);
                return;
            case "PUT":
                {
                    var updated = ops.Update(r, ns, name, await ReadObjectAsync(ctx), q["fieldValidation"], dryRun: DryRun(ctx), warnings: warnings);
                    AddWarnings(ctx, warnings);
                    await WriteJsonAsync(ctx, 200, updated);
                    return;
                }

            case "PATCH":
                {
                    var patched = ops.Patch(r, ns, name, ctx.Request.ContentType ?? "", await ReadTextAsync(ctx), false, q["fieldValidation"], DryRun(ctx), warnings);
                    AddWarnings(ctx, warnings);
                    await WriteJsonAsync(ctx, 200, patched);
                    return;
                }

            case "DELETE":
                {
                    var options = DeleteOptions.From(await ReadOptionalObjectAsync(ctx), q["propagationPolicy"], DryRun(ctx), q["gracePeriodSeconds"]);
                    await WriteJsonAsync(ctx, 200, ops.Delete(r, ns, name, options));
                    return;
                }

            default:
                throw MethodNotAllowed(method);
        }
    }

    private async Task SubresourceAsync(HttpContext ctx, ApiResource r, string? ns, string name, string sub, string method)
    {
        var q = ctx.Request.Query;
        var warnings = new List<string>();
        switch (sub)
        {
            case "status" when r.HasStatus:
                switch (method)
                {
                    case "GET":
                        await WriteJsonAsync(ctx, 200, ops.Get(r, ns, name));
                        return;
                    case "PUT":
                        await WriteJsonAsync(ctx, 200, ops.Update(r, ns, name, await ReadObjectAsync(ctx), q["fieldValidation"], statusOnly: true, DryRun(ctx), warnings));
                        return;
                    case "PATCH":
                        await WriteJsonAsync(ctx, 200, ops.Patch(r, ns, name, ctx.Request.ContentType ?? "", await ReadTextAsync(ctx), true, q["fieldValidation"], DryRun(ctx), warnings));
                        return;
                    default:
                        throw MethodNotAllowed(method);
                }

            case "scale" when r.Scale is { } scale:
                {
                    var current = ops.Get(r, ns, name);
                    JsonObject? wanted = method switch
                    {
                        "GET" => null,
                        "PUT" => await ReadObjectAsync(ctx),
                        "PATCH" => PatchScale(ScaleObjects.From(scale, current), ctx.Request.ContentType ?? "", await ReadTextAsync(ctx)),
                        _ => throw MethodNotAllowed(method),
                    };
                    if (wanted is not null)
                    {
                        current = ops.Update(r, ns, name, ScaleObjects.Apply(scale, current, wanted), dryRun: DryRun(ctx));
                    }

                    await WriteJsonAsync(ctx, 200, ScaleObjects.From(scale, current));
                    return;
                }

            case "log" when r.Type == ResourceType.Pods && method == "GET":
                await PodLogs.ServeAsync(ctx, Store, runtime(), r, ns ?? "default", name);
                return;
            case "exec" when r.Type == ResourceType.Pods && method is "GET" or "POST":
                await PodExec.ServeAsync(ctx, Store, runtime(), r, ns ?? "default", name);
                return;
            default:
                throw NotFoundPath(ctx);
        }
    }

    private static JsonObject PatchScale(JsonObject scale, string contentType, string body)
    {
        var kind = contentType.Split(';')[0].Trim();
        var patch = JsonNode.Parse(body);
        var result = kind == "application/json-patch+json" && patch is JsonArray ops
            ? JsonPatch.Apply(scale, ops)
            : MergePatch.Apply(scale, patch);
        return result as JsonObject ?? throw ApiException.BadRequest("the patch did not produce a Scale");
    }

    private const string TableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static bool WantsTable(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static bool Flag(Microsoft.Extensions.Primitives.StringValues v) => v.ToString() is "true" or "1" or "True";

    private static bool DryRun(HttpContext ctx) => ctx.Request.Query["dryRun"].ToString() == "All";

    private static void AddWarnings(HttpContext ctx, List<string> warnings)
    {
        foreach (var w in warnings)
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    private static ApiException NotFoundPath(HttpContext ctx) =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private static ApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    private static async Task<string> ReadTextAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var contentType = ctx.Request.ContentType ?? "";
        if (contentType.StartsWith(ProtobufBodies.ContentType, StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            return ProtobufBodies.Decode(buffer.ToArray());
        }

        var text = await ReadTextAsync(ctx);
        var node = contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) ? YamlJson.Parse(text) : JsonNode.Parse(text);
        return node as JsonObject ?? throw ApiException.BadRequest("the body must be a JSON object");
    }

    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext ctx)
    {
        var text = await ReadTextAsync(ctx);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
    }

    private static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted);
    }
}
