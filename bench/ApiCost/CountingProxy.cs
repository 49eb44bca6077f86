using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PgReplica.Bench.ApiCost;

/// <summary>
/// A pass-through in front of the sandbox's API server that counts what the operator asks. It sits outside both
/// the operator and the sandbox, so the same bench measures any version of the operator.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    private readonly WebApplication app;

    private CountingProxy(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public RequestCounts Counts { get; private set; } = new();

    /// <summary>Starts counting afresh.</summary>
    public void Reset() => Counts = new RequestCounts();

    /// <summary>Forwards to <paramref name="upstream"/> through <paramref name="http"/> (which carries the sandbox's trust and token).</summary>
    public static async Task<CountingProxy> StartAsync(Uri upstream, HttpClient http)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var web = builder.Build();
        CountingProxy? proxy = null;
        web.Run(async ctx =>
        {
            proxy!.Counts.Count(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "");
            using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), new Uri(upstream, ctx.Request.Path + ctx.Request.QueryString));
            if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
            {
                request.Content = new StreamContent(ctx.Request.Body);
                if (ctx.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            foreach (var header in ctx.Request.Headers.Where(h => h.Key is "Accept"))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.RequestAborted);
            ctx.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } contentType) ctx.Response.ContentType = contentType.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(ctx.RequestAborted);
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
            {
                // Watches stream: pass every chunk on at once.
                await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy = new CountingProxy(web, new Uri(address));
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
