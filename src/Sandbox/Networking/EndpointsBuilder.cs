using System.Net;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Networking;

/// <summary>What a Service's selected pods add up to: the Endpoints subsets and, per service port, the proxy's backends.</summary>
internal sealed record ServiceEndpoints(JsonArray Subsets, IReadOnlyDictionary<int, IReadOnlyList<IPEndPoint>> Backends);

/// <summary>The endpoints controller's arithmetic, pure: which pods back a Service, ready or not, on which ports.</summary>
internal static class EndpointsBuilder
{
    /// <summary>Builds the Service's endpoints from the pods in the store.</summary>
    public static ServiceEndpoints Build(ServiceModel svc, IEnumerable<JsonObject> pods)
    {
        // Pods grouped by their resolved port list: one subset per distinct list, as the endpoints controller does.
        var subsets = new Dictionary<string, (List<(int Port, ServicePortModel Spec)> Ports, JsonArray Ready, JsonArray NotReady)>(StringComparer.Ordinal);
        var backends = svc.Ports.ToDictionary(p => p.Port, _ => new List<IPEndPoint>());
        foreach (var pod in pods.Where(svc.Selects).OrderBy(p => p["metadata"]?["name"]?.ToString(), StringComparer.Ordinal))
        {
            var ip = pod["status"]?["podIP"]?.ToString();
            var phase = pod["status"]?["phase"]?.ToString();
            if (string.IsNullOrEmpty(ip) || pod["metadata"]?["deletionTimestamp"] is not null || phase is "Succeeded" or "Failed")
            {
                continue;
            }

            var ready = svc.PublishNotReadyAddresses || IsReady(pod);
            var resolved = new List<(int Port, ServicePortModel Spec)>();
            foreach (var sp in svc.Ports)
            {
                if (ResolveTargetPort(sp.TargetPort, pod) is { } port)
                {
                    resolved.Add((port, sp));
                }
            }

            if (resolved.Count == 0)
            {
                continue;
            }

            var key = string.Join(",", resolved.Select(r => $"{r.Spec.Name}:{r.Port}"));
            if (!subsets.TryGetValue(key, out var subset))
            {
                subset = (resolved, new JsonArray(), new JsonArray());
                subsets[key] = subset;
            }

            var address = new JsonObject
            {
                ["ip"] = ip,
                ["nodeName"] = pod["spec"]?["nodeName"]?.DeepClone(),
                ["targetRef"] = new JsonObject
                {
                    ["kind"] = "Pod",
                    ["namespace"] = svc.Namespace,
                    ["name"] = pod["metadata"]?["name"]?.DeepClone(),
                    ["uid"] = pod["metadata"]?["uid"]?.DeepClone(),
                },
            };
            (ready ? subset.Ready : subset.NotReady).Add(address);
            if (ready && IPAddress.TryParse(ip, out var addr))
            {
                foreach (var (port, spec) in resolved)
                {
                    backends[spec.Port].Add(new IPEndPoint(addr, port));
                }
            }
        }

        var result = new JsonArray();
        foreach (var (_, (ports, ready, notReady)) in subsets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var subset = new JsonObject();
            if (ready.Count > 0)
            {
                subset["addresses"] = ready;
            }

            if (notReady.Count > 0)
            {
                subset["notReadyAddresses"] = notReady;
            }

            subset["ports"] = new JsonArray(ports.Select(p =>
            {
                var o = new JsonObject { ["port"] = p.Port, ["protocol"] = p.Spec.Protocol };
                if (p.Spec.Name is not null)
                {
                    o["name"] = p.Spec.Name;
                }

                return (JsonNode)o;
            }).ToArray());
            result.Add(subset);
        }

        return new ServiceEndpoints(result, backends.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IPEndPoint>)kv.Value));
    }

    /// <summary>True when the pod's Ready condition is True.</summary>
    public static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray cs
        && cs.Any(c => c?["type"]?.ToString() == "Ready" && c?["status"]?.ToString() == "True");

    /// <summary>A number, or the containerPort of the pod's container port with that name; null if the pod has none.</summary>
    public static int? ResolveTargetPort(string targetPort, JsonObject pod)
    {
        if (int.TryParse(targetPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        foreach (var c in (pod["spec"]?["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            foreach (var p in (c["ports"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                if (p["name"]?.ToString() == targetPort && Node.PodModel.Long(p, "containerPort") is { } port)
                {
                    return (int)port;
                }
            }
        }

        return null;
    }
}
