using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Networking;

/// <summary>One port of a Service: its name, the port it listens on, and the pod port (number or container-port name).</summary>
internal sealed record ServicePortModel(string? Name, int Port, string TargetPort, string Protocol);

/// <summary>The parts of a Service the proxies act on.</summary>
internal sealed record ServiceModel(
    string Namespace,
    string Name,
    string Type,
    string? ClusterIp,
    IReadOnlyDictionary<string, string>? Selector,
    bool PublishNotReadyAddresses,
    IReadOnlyList<ServicePortModel> Ports,
    JsonObject? Labels)
{
    /// <summary>True for clusterIP: None.</summary>
    public bool Headless => ClusterIp == "None";

    /// <summary>Reads a Service object.</summary>
    public static ServiceModel Parse(JsonObject svc)
    {
        var meta = svc["metadata"] as JsonObject;
        var spec = svc["spec"] as JsonObject;
        var selector = spec?["selector"] is JsonObject sel
            ? sel.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal)
            : null;
        var ports = (spec?["ports"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Select(p =>
        {
            var port = (int)(Node.PodModel.Long(p, "port") ?? 0);
            return new ServicePortModel(
                p["name"]?.ToString(),
                port,
                p["targetPort"]?.ToString() is { Length: > 0 } t ? t : port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                p["protocol"]?.ToString() ?? "TCP");
        }).ToList();
        return new ServiceModel(
            meta?["namespace"]?.ToString() ?? "default",
            meta?["name"]?.ToString() ?? "",
            spec?["type"]?.ToString() ?? "ClusterIP",
            spec?["clusterIP"]?.ToString(),
            selector,
            spec?["publishNotReadyAddresses"] is JsonValue b && b.TryGetValue<bool>(out var pub) && pub,
            ports,
            meta?["labels"] as JsonObject);
    }

    /// <summary>True when every selector label is on the pod (an empty or missing selector selects nothing here).</summary>
    public bool Selects(JsonObject pod)
    {
        if (Selector is null || Selector.Count == 0)
        {
            return false;
        }

        if (pod["metadata"]?["namespace"]?.ToString() != Namespace)
        {
            return false;
        }

        var labels = pod["metadata"]?["labels"] as JsonObject;
        return Selector.All(kv => labels?[kv.Key]?.ToString() == kv.Value);
    }
}
