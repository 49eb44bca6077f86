using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PgReplica.Kube.Client;

namespace PgReplica.Kube.Tests.Fakes;

/// <summary>
/// A small in-process API server on real Kestrel: CRUD, status/scale subresources, merge and JSON patch,
/// resourceVersion conflicts, finalizers, list/watch with bookmarks, expired RVs and injected connection drops.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<string, JsonObject>> collections = [];
    private readonly List<StoredEvent> log = [];
    private readonly List<WatchSession> watches = [];
    private long rv = 100;

    private FakeApiServer(WebApplication app, bool https)
    {
        this.app = app;
        Https = https;
        app.Run(HandleAsync);
    }

    /// <summary>Every request as "METHOD path?query".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Request bodies as ("METHOD path", body), for requests that had one.</summary>
    public ConcurrentQueue<(string Request, string Body)> Bodies { get; } = new();

    /// <summary>Authorization headers seen, in order.</summary>
    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>Subject of the last client certificate presented over TLS.</summary>
    public string? LastClientCertificateSubject { get; private set; }

    /// <summary>Watches asking for an RV below this get 200 plus an in-stream ERROR 410 Expired.</summary>
    public long CompactedBelow { get; set; }

    /// <summary>Requests for which this returns a status code are answered with that error first (fault injection).</summary>
    public Func<HttpRequest, (int Code, string Reason)?>? Fault { get; set; }

    /// <summary>Awaited before a request is handled (holds requests in flight).</summary>
    public Func<HttpRequest, Task>? BeforeHandling { get; set; }

    /// <summary>Plural names served with a scale subresource (spec.replicas/status.replicas/status.selector).</summary>
    public HashSet<string> ScalePlurals { get; } = ["things"];

    /// <summary>Plural names without a status subresource (status is stored as sent).</summary>
    public HashSet<string> NoStatusPlurals { get; } = ["secrets", "events", "leases", "configmaps"];

    /// <summary>Base address.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>True when serving TLS.</summary>
    public bool Https { get; }

    /// <summary>Current global resourceVersion.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (gate)
            {
                return rv;
            }
        }
    }

    /// <summary>Number of watch connections open now.</summary>
    public int OpenWatches
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    /// <summary>Starts on 127.0.0.1 with a free port; with a certificate it serves TLS and asks for client certificates.</summary>
    public static async Task<FakeApiServer> StartAsync(X509Certificate2? serverCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        var server = new FakeApiServer(builder.Build(), serverCertificate is not null);
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address.Replace("http://", server.Https ? "https://" : "http://"));
        return server;
    }

    /// <summary>A client for this server (plain HTTP, no auth unless a token is given).</summary>
    public Kubernetes Client(string? token = null) =>
        new(new KubernetesClientConfiguration { Host = Address, AccessToken = token, Namespace = "default", RequestTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>Aborts every open watch connection (a dropped TCP connection, from the client's view).</summary>
    public void DropWatches()
    {
        lock (gate)
        {
            foreach (var w in watches)
            {
                w.Context.Abort();
            }
        }
    }

    /// <summary>Sends a BOOKMARK at the current RV to every open watch.</summary>
    public void SendBookmarks()
    {
        lock (gate)
        {
            foreach (var w in watches)
            {
                var bookmark = new JsonObject
                {
                    ["kind"] = w.Kind ?? "Unknown",
                    ["apiVersion"] = w.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
                };
                w.Lines.Writer.TryWrite(Line("BOOKMARK", bookmark));
            }
        }
    }

    /// <summary>Bumps the global RV without storing anything (as writes to other kinds would).</summary>
    public long AdvanceResourceVersion(long by)
    {
        lock (gate)
        {
            rv += by;
            return rv;
        }
    }

    /// <summary>A stored object, by collection path key "group/version/plural" and "ns/name".</summary>
    public JsonObject? Stored(string collection, string? ns, string name)
    {
        lock (gate)
        {
            return collections.TryGetValue(collection, out var c) && c.TryGetValue($"{ns}/{name}", out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>Requests matching a predicate.</summary>
    public List<string> RequestsMatching(string contains) => Requests.Where(r => r.Contains(contains, StringComparison.Ordinal)).ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string Line(string type, JsonObject obj) => new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";

    private async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            await HandleCoreAsync(ctx);
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            await WriteStatus(ctx, 500, "InternalError", e.ToString());
        }
    }

    private async Task HandleCoreAsync(HttpContext ctx)
    {
        var req = ctx.Request;
        Requests.Enqueue($"{req.Method} {req.Path}{req.QueryString}");
        AuthorizationHeaders.Enqueue(req.Headers.Authorization.ToString());
        if (ctx.Connection.ClientCertificate is { } cc)
        {
            LastClientCertificateSubject = cc.Subject;
        }

        if (BeforeHandling is { } hold)
        {
            await hold(req);
        }

        if (Fault?.Invoke(req) is { } fault)
        {
            await WriteStatus(ctx, fault.Code, fault.Reason, "injected fault");
            return;
        }

        var route = Route.Parse(req.Path.Value ?? "");
        if (route is null)
        {
            await WriteStatus(ctx, 404, "NotFound", "no such path");
            return;
        }

        var body = req.ContentLength > 0 || req.Headers.TransferEncoding.Count > 0 ? await new StreamReader(req.Body).ReadToEndAsync() : "";
        if (body.Length > 0)
        {
            Bodies.Enqueue(($"{req.Method} {req.Path}", body));
        }

        var (code, answer) = route.Name is null
            ? req.Method switch
            {
                "GET" when req.Query["watch"] == "true" => (-1, null),
                "GET" => List(route, req),
                "POST" => Create(route, JsonNode.Parse(body)!.AsObject()),
                _ => (405, Status(405, "MethodNotAllowed", req.Method)),
            }
            : (req.Method, route.Subresource) switch
            {
                ("GET", null) => Get(route),
                ("PUT", null) => Replace(route, JsonNode.Parse(body)!.AsObject(), statusOnly: false),
                ("PUT", "status") => Replace(route, JsonNode.Parse(body)!.AsObject(), statusOnly: true),
                ("PATCH", null or "status") => Patch(route, req.ContentType ?? "", body),
                ("DELETE", null) => Delete(route),
                ("GET", "scale") => GetScale(route),
                ("PATCH", "scale") => PatchScale(route, req.ContentType ?? "", body),
                _ => (405, Status(405, "MethodNotAllowed", $"{req.Method} {route.Subresource}")),
            };
        if (code == -1)
        {
            await WatchAsync(ctx, route, req);
            return;
        }

        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(answer!.ToJsonString());
    }

    private static Task WriteStatus(HttpContext ctx, int code, string reason, string message)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(Status(code, reason, message).ToJsonString());
    }

    internal static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = code < 300 ? "Success" : "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private Dictionary<string, JsonObject> Collection(Route r)
    {
        if (!collections.TryGetValue(r.CollectionKey, out var c))
        {
            collections[r.CollectionKey] = c = [];
        }

        return c;
    }

    private (int, JsonObject) List(Route r, HttpRequest req)
    {
        lock (gate)
        {
            var items = new JsonArray();
            foreach (var o in Collection(r).Values.Where(o => r.Namespace is null || Ns(o) == r.Namespace).Where(o => Matches(o, req)))
            {
                items.Add(o.DeepClone());
            }

            return (200, new JsonObject
            {
                ["kind"] = "List",
                ["apiVersion"] = r.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            });
        }
    }

    private static string? Ns(JsonObject o) => (string?)o["metadata"]?["namespace"];

    private static bool Matches(JsonObject o, HttpRequest req)
    {
        var labels = o["metadata"]?["labels"] as JsonObject;
        foreach (var term in req.Query["labelSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var neq = term.Split("!=");
            var eq = term.Split('=');
            var ok = neq.Length == 2 ? (string?)labels?[neq[0]] != neq[1]
                : eq.Length == 2 ? (string?)labels?[eq[0]] == eq[1]
                : labels?.ContainsKey(term) == true;
            if (!ok)
            {
                return false;
            }
        }

        foreach (var term in req.Query["fieldSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = term.Split('=');
            var actual = kv[0] switch
            {
                "metadata.name" => (string?)o["metadata"]?["name"],
                "metadata.namespace" => Ns(o),
                _ => null,
            };
            if (actual != kv[1])
            {
                return false;
            }
        }

        return true;
    }

    private (int, JsonObject) Get(Route r)
    {
        lock (gate)
        {
            return Collection(r).TryGetValue(r.Key, out var o) ? (200, (JsonObject)o.DeepClone()) : NotFound(r);
        }
    }

    private static (int, JsonObject) NotFound(Route r) => (404, Status(404, "NotFound", $"{r.Plural} \"{r.Name}\" not found"));

    private (int, JsonObject) Create(Route r, JsonObject obj)
    {
        lock (gate)
        {
            var meta = obj["metadata"] as JsonObject ?? [];
            obj["metadata"] = meta;
            var name = (string?)meta["name"];
            if (string.IsNullOrEmpty(name))
            {
                return (422, Status(422, "Invalid", "metadata.name: Required value"));
            }

            if (r.Namespace is not null)
            {
                meta["namespace"] = r.Namespace;
            }

            var key = $"{r.Namespace}/{name}";
            var c = Collection(r);
            if (c.ContainsKey(key))
            {
                return (409, Status(409, "AlreadyExists", $"{r.Plural} \"{name}\" already exists"));
            }

            if (!NoStatusPlurals.Contains(r.Plural))
            {
                obj.Remove("status");
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            meta["generation"] = 1L;
            Store(r, key, obj, "ADDED");
            return (201, (JsonObject)obj.DeepClone());
        }
    }

    private (int, JsonObject) Replace(Route r, JsonObject obj, bool statusOnly)
    {
        lock (gate)
        {
            var c = Collection(r);
            if (!c.TryGetValue(r.Key, out var current))
            {
                return NotFound(r);
            }

            var sentRv = (string?)obj["metadata"]?["resourceVersion"];
            if (string.IsNullOrEmpty(sentRv))
            {
                return (422, Status(422, "Invalid", "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"));
            }

            if (sentRv != (string?)current["metadata"]!["resourceVersion"])
            {
                return (409, Status(409, "Conflict", $"Operation cannot be fulfilled on {r.Plural} \"{r.Name}\": the object has been modified; please apply your changes to the latest version and try again"));
            }

            return Update(r, current, obj, statusOnly);
        }
    }

    private (int, JsonObject) Update(Route r, JsonObject current, JsonObject wanted, bool statusOnly)
    {
        JsonObject next;
        var hasStatusSub = !NoStatusPlurals.Contains(r.Plural);
        if (statusOnly)
        {
            next = (JsonObject)current.DeepClone();
            next["status"] = wanted["status"]?.DeepClone();
        }
        else
        {
            next = (JsonObject)wanted.DeepClone();
            var meta = next["metadata"] as JsonObject ?? [];
            next["metadata"] = meta;
            foreach (var keep in new[] { "uid", "creationTimestamp", "namespace", "name", "deletionTimestamp", "generation" })
            {
                meta[keep] = current["metadata"]![keep]?.DeepClone();
            }

            if (hasStatusSub)
            {
                next["status"] = current["status"]?.DeepClone();
            }

            if (!JsonNode.DeepEquals(current["spec"], next["spec"]))
            {
                meta["generation"] = ((long?)current["metadata"]!["generation"] ?? 0) + 1;
            }

            var finalizers = meta["finalizers"] as JsonArray;
            if (meta["deletionTimestamp"] is not null && (finalizers is null || finalizers.Count == 0))
            {
                Collection(r).Remove(r.Key);
                Bump(next);
                Emit(r, "DELETED", next);
                return (200, (JsonObject)next.DeepClone());
            }
        }

        Store(r, r.Key, next, "MODIFIED");
        return (200, (JsonObject)next.DeepClone());
    }

    private (int, JsonObject) Patch(Route r, string contentType, string body)
    {
        lock (gate)
        {
            if (!Collection(r).TryGetValue(r.Key, out var current))
            {
                return NotFound(r);
            }

            JsonNode patched;
            try
            {
                if (contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
                {
                    var patch = JsonNode.Parse(body)!;
                    var patchRv = (string?)patch["metadata"]?["resourceVersion"];
                    if (patchRv is not null && patchRv != (string?)current["metadata"]!["resourceVersion"])
                    {
                        return (409, Status(409, "Conflict", "the object has been modified"));
                    }

                    patched = PatchApplier.Merge(current, patch)!;
                }
                else if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
                {
                    patched = PatchApplier.ApplyJsonPatch(current, JsonNode.Parse(body)!.AsArray());
                }
                else
                {
                    return (415, Status(415, "UnsupportedMediaType", $"the body of the request was in an unknown format: {contentType}"));
                }
            }
            catch (InvalidOperationException e)
            {
                return (422, Status(422, "Invalid", e.Message));
            }

            var statusOnly = r.Subresource == "status";
            var next = patched.AsObject();
            return Update(r, current, next, statusOnly);
        }
    }

    private (int, JsonObject) Delete(Route r)
    {
        lock (gate)
        {
            var c = Collection(r);
            if (!c.TryGetValue(r.Key, out var current))
            {
                return NotFound(r);
            }

            if (current["metadata"]!["finalizers"] is JsonArray { Count: > 0 })
            {
                if (current["metadata"]!["deletionTimestamp"] is null)
                {
                    current["metadata"]!["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                    current["metadata"]!["generation"] = ((long?)current["metadata"]!["generation"] ?? 0) + 1;
                    Store(r, r.Key, current, "MODIFIED");
                }

                return (200, (JsonObject)current.DeepClone());
            }

            c.Remove(r.Key);
            Bump(current);
            Emit(r, "DELETED", current);
            var status = Status(200, "", "");
            status.Remove("reason");
            status.Remove("message");
            status["details"] = new JsonObject { ["name"] = r.Name, ["kind"] = r.Plural, ["uid"] = current["metadata"]!["uid"]?.DeepClone() };
            return (200, status);
        }
    }

    private (int, JsonObject) GetScale(Route r)
    {
        lock (gate)
        {
            if (!ScalePlurals.Contains(r.Plural))
            {
                return (404, Status(404, "NotFound", "the server could not find the requested resource"));
            }

            return Collection(r).TryGetValue(r.Key, out var o) ? (200, ScaleOf(o)) : NotFound(r);
        }
    }

    private static JsonObject ScaleOf(JsonObject o) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = o["metadata"]!["name"]?.DeepClone(),
            ["namespace"] = o["metadata"]!["namespace"]?.DeepClone(),
            ["uid"] = o["metadata"]!["uid"]?.DeepClone(),
            ["resourceVersion"] = o["metadata"]!["resourceVersion"]?.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = (int?)o["spec"]?["replicas"] ?? 0 },
        ["status"] = new JsonObject { ["replicas"] = (int?)o["status"]?["replicas"] ?? 0, ["selector"] = o["status"]?["selector"]?.DeepClone() },
    };

    private (int, JsonObject) PatchScale(Route r, string contentType, string body)
    {
        lock (gate)
        {
            if (!ScalePlurals.Contains(r.Plural) || !Collection(r).TryGetValue(r.Key, out var current))
            {
                return NotFound(r);
            }

            if (!contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
            {
                return (415, Status(415, "UnsupportedMediaType", contentType));
            }

            var scale = PatchApplier.Merge(ScaleOf(current), JsonNode.Parse(body))!;
            var next = (JsonObject)current.DeepClone();
            next["spec"] ??= new JsonObject();
            next["spec"]!["replicas"] = (int?)scale["spec"]?["replicas"] ?? 0;
            Update(r, current, next, statusOnly: false);
            return (200, ScaleOf(Collection(r)[r.Key]));
        }
    }

    private void Bump(JsonObject obj)
    {
        rv++;
        obj["metadata"]!["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
    }

    private void Store(Route r, string key, JsonObject obj, string type)
    {
        Bump(obj);
        Collection(r)[key] = (JsonObject)obj.DeepClone();
        Emit(r, type, obj);
    }

    private void Emit(Route r, string type, JsonObject obj)
    {
        var ev = new StoredEvent(rv, r.CollectionKey, Ns(obj), type, (JsonObject)obj.DeepClone());
        log.Add(ev);
        foreach (var w in watches.Where(w => w.Accepts(ev)))
        {
            w.Lines.Writer.TryWrite(Line(type, ev.Object));
        }
    }

    private async Task WatchAsync(HttpContext ctx, Route r, HttpRequest req)
    {
        var rvText = req.Query["resourceVersion"].ToString();
        var timeout = int.TryParse(req.Query["timeoutSeconds"], out var t) ? t : 60;
        var session = new WatchSession(ctx, r, req);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        lock (gate)
        {
            var start = long.TryParse(rvText, out var n) ? n : 0;
            if (start > 0 && start < CompactedBelow)
            {
                session.Lines.Writer.TryWrite(Line("ERROR", Status(410, "Expired", $"too old resource version: {start} ({CompactedBelow})")));
                session.Lines.Writer.TryComplete();
            }
            else if (start == 0)
            {
                foreach (var o in Collection(r).Values.Where(o => session.AcceptsObject(o)))
                {
                    session.Lines.Writer.TryWrite(Line("ADDED", o));
                }
            }
            else
            {
                foreach (var ev in log.Where(e => e.Rv > start && session.Accepts(e)))
                {
                    session.Lines.Writer.TryWrite(Line(ev.Type, ev.Object));
                }
            }

            session.Kind = Collection(r).Values.Select(o => (string?)o["kind"]).FirstOrDefault();
            watches.Add(session);
        }

        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
            cts.CancelAfter(TimeSpan.FromSeconds(timeout));
            await ctx.Response.StartAsync(cts.Token);
            await ctx.Response.Body.FlushAsync(cts.Token);
            await foreach (var line in session.Lines.Reader.ReadAllAsync(cts.Token))
            {
                await ctx.Response.WriteAsync(line, Encoding.UTF8, cts.Token);
                await ctx.Response.Body.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the watch simply ends.
        }
        finally
        {
            lock (gate)
            {
                watches.Remove(session);
            }
        }
    }

    private sealed record StoredEvent(long Rv, string Collection, string? Namespace, string Type, JsonObject Object);

    private sealed class WatchSession(HttpContext ctx, Route route, HttpRequest req)
    {
        public HttpContext Context { get; } = ctx;

        public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

        public string ApiVersion { get; } = route.ApiVersion;

        public string? Kind { get; set; }

        public bool Accepts(StoredEvent e) => e.Collection == route.CollectionKey && (route.Namespace is null || e.Namespace == route.Namespace) && Matches(e.Object, req);

        public bool AcceptsObject(JsonObject o) => (route.Namespace is null || Ns(o) == route.Namespace) && Matches(o, req);
    }

    private sealed record Route(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource)
    {
        public string CollectionKey => $"{Group}/{Version}/{Plural}";

        public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

        public string Key => $"{Namespace}/{Name}";

        public static Route? Parse(string path)
        {
            var s = path.Trim('/').Split('/');
            string group, version;
            string[] rest;
            if (s.Length >= 3 && s[0] == "api")
            {
                (group, version, rest) = ("", s[1], s[2..]);
            }
            else if (s.Length >= 4 && s[0] == "apis")
            {
                (group, version, rest) = (s[1], s[2], s[3..]);
            }
            else
            {
                return null;
            }

            string? ns = null;
            if (rest.Length >= 3 && rest[0] == "namespaces")
            {
                ns = rest[1];
                rest = rest[2..];
            }

            return rest.Length switch
            {
                1 => new Route(group, version, ns, rest[0], null, null),
                2 => new Route(group, version, ns, rest[0], Uri.UnescapeDataString(rest[1]), null),
                3 => new Route(group, version, ns, rest[0], Uri.UnescapeDataString(rest[1]), rest[2]),
                _ => null,
            };
        }
    }
}
