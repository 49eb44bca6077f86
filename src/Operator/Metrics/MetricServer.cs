using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace PgReplica.Operator.Metrics;

/// <summary>The operator's web endpoint: /metrics (prometheus-net, text format 0.0.4), /healthz and /readyz on one address.</summary>
public sealed class MetricServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricServer(WebApplication app) => _app = app;

    /// <summary>The base URL actually bound (port 0 is resolved), e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// Starts serving. address is <c>host:port</c> (<c>0.0.0.0:8080</c> in a pod, <c>127.0.0.1:0</c> in tests).
    /// isReady decides /readyz (e.g. caches synced); /healthz answers while the process serves.
    /// </summary>
    public static async Task<MetricServer> StartAsync(string address, CollectorRegistry registry, Func<bool>? isReady = null, CancellationToken cancellationToken = default)
    {
        var endpoint = ParseAddress(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        var app = builder.Build();

        // OpenMetrics stays off: its HELP/TYPE lines drop "_total", which promtool 2.42's `check metrics` rejects.
        app.MapMetrics(settings =>
        {
            settings.Registry = registry;
            settings.EnableOpenMetrics = false;
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => isReady is null || isReady()
            ? Results.Text("ok\n")
            : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var server = new MetricServer(app);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Parses <c>host:port</c>, <c>:port</c> or a bare port; host defaults to all interfaces.</summary>
    public static IPEndPoint ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = colon < 0 ? "" : address[..colon].Trim('[', ']');
        var portText = colon < 0 ? address : address[(colon + 1)..];
        if (!int.TryParse(portText, out var port) || port is < 0 or > 65535)
        {
            throw new FormatException($"'{address}' is not host:port");
        }

        var ip = host.Length == 0 ? IPAddress.Any : host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(ip, port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
