using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>The sandbox's Kubernetes API server: Kestrel with TLS and bearer tokens on 127.0.0.1 over an <see cref="InMemoryObjectStore"/>.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GarbageCollector _gc;
    private readonly ResourceCatalog _catalog;

    private ApiServer(WebApplication app, GarbageCollector gc, ResourceCatalog catalog, ObjectOperations ops, Uri url, ApiServerCredentials credentials)
    {
        _app = app;
        _gc = gc;
        _catalog = catalog;
        Operations = ops;
        Url = url;
        Credentials = credentials;
    }

    /// <summary>Base URL, e.g. https://127.0.0.1:41234.</summary>
    public Uri Url { get; }

    /// <summary>The CA clients trust and the token they present.</summary>
    public ApiServerCredentials Credentials { get; }

    /// <summary>The write rules, for in-process callers that want API semantics without HTTP.</summary>
    public ObjectOperations Operations { get; }

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static Task<ApiServer> StartAsync(InMemoryObjectStore store, int port = 0, IPodRuntime? runtime = null, CancellationToken cancellationToken = default) =>
        StartAsync(store, port, () => runtime, ApiServerCredentials.CreateEphemeral(), null, cancellationToken);

    /// <summary>
    /// Starts serving; <paramref name="runtime"/> is asked on each logs/exec request (the node agent may start later);
    /// audit events go to <paramref name="auditLogPath"/> when given.
    /// </summary>
    public static async Task<ApiServer> StartAsync(InMemoryObjectStore store, int port, Func<IPodRuntime?> runtime, ApiServerCredentials credentials,
        string? auditLogPath = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(credentials.ServingCertificate));
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var catalog = new ResourceCatalog(store);
        var ops = new ObjectOperations(store, catalog, auditLogPath);
        var gc = new GarbageCollector(ops);
        var handler = new ApiRequestHandler(ops, runtime);
        app.UseWebSockets();
        app.Run(new BearerTokenAuthentication(credentials, handler.HandleAsync).HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServer(app, gc, catalog, ops, new Uri(address), credentials);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _gc.DisposeAsync();
        _catalog.Dispose();
        Credentials.Dispose();
    }
}
