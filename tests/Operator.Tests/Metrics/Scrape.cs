using System.Net.Http.Headers;
using PgReplica.Operator.Metrics;
using Prometheus;

namespace PgReplica.Operator.Tests.Metrics;

/// <summary>Reads /metrics from the operator's real endpoint, asking for OpenMetrics as Prometheus does.</summary>
internal static class Scrape
{
    public static async Task<string> TextAsync(CollectorRegistry registry)
    {
        await using var server = await PgReplica.Operator.Metrics.MetricServer.StartAsync("127.0.0.1:0", registry);
        using var http = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain; version=0.0.4; q=0.5"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
