using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Kube.Tests.Harness;

/// <summary>A handler in KubernetesClient's pipeline: records requests, answers with injected errors, makes watch answers cuttable.</summary>
internal sealed class FaultInjector(SandboxApi api, string caller) : DelegatingHandler
{
    public static int OpenWatches(SandboxApi api) => api.Watches.Keys.Count(s => !s.Ended);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var line = $"{request.Method.Method} {request.RequestUri!.PathAndQuery}";
        api.Requests.Enqueue(line);
        if (request.Content is not null)
        {
            api.Bodies.Enqueue((line, await request.Content.ReadAsStringAsync(cancellationToken)));
        }

        var seen = new InjectedRequest(request, caller);
        api.Authorizations.Enqueue(seen.Authorization ?? "");
        if (api.BeforeHandling is { } hold)
        {
            await hold(seen).WaitAsync(cancellationToken);
        }

        if (api.Fault?.Invoke(seen) is { } fault)
        {
            var status = new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["status"] = "Failure",
                ["code"] = fault.Code,
                ["reason"] = fault.Reason,
                ["message"] = $"injected {fault.Code} {fault.Reason}",
            };
            return new HttpResponseMessage((HttpStatusCode)fault.Code)
            {
                RequestMessage = request,
                Content = new StringContent(status.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }

        if (seen.Query["watch"] == "true" && long.TryParse(seen.Query["resourceVersion"], out var from) && from > 0 && from < api.CompactedBelow)
        {
            // kube-apiserver answers 200 and one ERROR event carrying the 410 Status.
            var expired = new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["status"] = "Failure",
                    ["code"] = 410,
                    ["reason"] = "Expired",
                    ["message"] = $"too old resource version: {from} ({api.ResourceVersion})",
                },
            };
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent(expired.ToJsonString() + "\n", Encoding.UTF8, "application/json"),
            };
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (seen.Query["watch"] == "true" && response.IsSuccessStatusCode)
        {
            var stream = new CuttableStream(await response.Content.ReadAsStreamAsync(cancellationToken));
            api.Watches[stream] = 0;
            var content = new StreamContent(stream);
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
        }

        return response;
    }
}
