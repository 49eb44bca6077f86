using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>The columns kubectl get shows for the built-in kinds, like the real server's printers.</summary>
internal static class BuiltInColumns
{
    /// <summary>Columns for a built-in resource (Name first), or null for a custom one.</summary>
    public static IReadOnlyList<TableColumn>? For(ApiResource r) => r.Plural switch
    {
        "pods" =>
        [
            NameColumn, Col("Ready", PodReady), Col("Status", PodStatus), Col("Restarts", PodRestarts, "integer"), AgeColumn,
            Col("IP", o => S(o, "status", "podIP") ?? "<none>", priority: 1), Col("Node", o => S(o, "spec", "nodeName") ?? "<none>", priority: 1),
        ],
        "services" =>
        [
            NameColumn, Col("Type", o => S(o, "spec", "type") ?? "ClusterIP"), Col("Cluster-IP", o => S(o, "spec", "clusterIP") ?? "<none>"),
            Col("External-IP", _ => "<none>"), Col("Port(s)", ServicePorts), AgeColumn,
            Col("Selector", o => Pairs(o["spec"]?["selector"] as JsonObject) ?? "<none>", priority: 1),
        ],
        "endpoints" => [NameColumn, Col("Endpoints", EndpointList), AgeColumn],
        "secrets" => [NameColumn, Col("Type", o => S(o, "type") ?? "Opaque"), Col("Data", o => Count(o["data"]), "integer"), AgeColumn],
        "configmaps" => [NameColumn, Col("Data", o => Count(o["data"]) + Count(o["binaryData"]), "integer"), AgeColumn],
        "persistentvolumeclaims" =>
        [
            NameColumn, Col("Status", o => S(o, "status", "phase") ?? "Pending"), Col("Volume", o => S(o, "spec", "volumeName") ?? ""),
            Col("Capacity", o => S(o, "status", "capacity", "storage") ?? ""), Col("Access Modes", AccessModes),
            Col("StorageClass", o => S(o, "spec", "storageClassName") ?? "<unset>"), Col("VolumeAttributesClass", _ => "<unset>"), AgeColumn,
            Col("VolumeMode", o => S(o, "spec", "volumeMode") ?? "Filesystem", priority: 1),
        ],
        "nodes" =>
        [
            NameColumn, Col("Status", NodeStatus), Col("Roles", _ => "<none>"), AgeColumn,
            Col("Version", o => S(o, "status", "nodeInfo", "kubeletVersion") ?? ""),
        ],
        "namespaces" => [NameColumn, Col("Status", o => S(o, "status", "phase") ?? "Active"), AgeColumn],
        "events" =>
        [
            Col("Last Seen", o => Age(S(o, "lastTimestamp") ?? S(o, "eventTime") ?? S(o, "metadata", "creationTimestamp"))),
            Col("Type", o => S(o, "type") ?? ""), Col("Reason", o => S(o, "reason") ?? ""),
            Col("Object", o => $"{(S(o, "involvedObject", "kind") ?? "").ToLowerInvariant()}/{S(o, "involvedObject", "name")}"),
            Col("Message", o => S(o, "message") ?? ""),
        ],
        "serviceaccounts" => [NameColumn, Col("Secrets", o => Count(o["secrets"]), "integer"), AgeColumn],
        "leases" => [NameColumn, Col("Holder", o => S(o, "spec", "holderIdentity") ?? ""), AgeColumn],
        "customresourcedefinitions" => [NameColumn, Col("Created At", o => S(o, "metadata", "creationTimestamp") ?? "", "date")],
        _ => null,
    };

    /// <summary>The Name column every table starts with.</summary>
    public static readonly TableColumn NameColumn = new("Name", "string", 0, o => S(o, "metadata", "name") ?? "", "name",
        "Name must be unique within a namespace.");

    /// <summary>The Age column.</summary>
    public static readonly TableColumn AgeColumn = new("Age", "string", 0, o => Age(S(o, "metadata", "creationTimestamp")), "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.");

    /// <summary>An age cell ("5m") from an RFC 3339 timestamp.</summary>
    public static string Age(string? timestamp) =>
        DateTimeOffset.TryParse(timestamp, out var at) ? HumanDuration.Format(DateTimeOffset.UtcNow - at) : "<unknown>";

    private static TableColumn Col(string name, Func<JsonObject, JsonNode?> cell, string type = "string", int priority = 0) =>
        new(name, type, priority, cell);

    private static string? S(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
    }

    private static int Count(JsonNode? n) => n switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };

    private static string? Pairs(JsonObject? o) => o is null || o.Count == 0 ? null : string.Join(",", o.Select(p => $"{p.Key}={p.Value}"));

    private static JsonArray ContainerStatuses(JsonObject pod) => pod["status"]?["containerStatuses"] as JsonArray ?? [];

    private static JsonNode PodReady(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = ContainerStatuses(pod).Count(c => c?["ready"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
        return $"{ready}/{total}";
    }

    private static JsonNode PodRestarts(JsonObject pod) =>
        ContainerStatuses(pod).Sum(c => PgReplica.Sandbox.Store.JsonNumber.Long(c?["restartCount"]) ?? 0);

    // The STATUS column: a waiting/terminated reason wins over the phase, as kubectl's printer does.
    private static JsonNode PodStatus(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }

        var reason = S(pod, "status", "reason") ?? S(pod, "status", "phase") ?? "Pending";
        var init = pod["status"]?["initContainerStatuses"] as JsonArray ?? [];
        var initCount = (pod["spec"]?["initContainers"] as JsonArray)?.Count ?? 0;
        for (var i = 0; i < init.Count; i++)
        {
            var state = init[i]?["state"];
            if (S(state, "terminated", "exitCode") is { } code && code != "0")
            {
                return $"Init:{S(state, "terminated", "reason") ?? "Error"}";
            }

            if (S(state, "waiting", "reason") is { } w && w != "PodInitializing")
            {
                return $"Init:{w}";
            }

            if (state?["terminated"] is null)
            {
                return $"Init:{i}/{initCount}";
            }
        }

        foreach (var c in ContainerStatuses(pod).Reverse())
        {
            if (S(c, "state", "waiting", "reason") is { } waiting)
            {
                reason = waiting;
            }
            else if (S(c, "state", "terminated", "reason") is { } terminated)
            {
                reason = terminated;
            }
        }

        return reason;
    }

    private static JsonNode ServicePorts(JsonObject svc)
    {
        var ports = (svc["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => $"{S(p, "port")}/{S(p, "protocol") ?? "TCP"}").ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    private static JsonNode EndpointList(JsonObject ep)
    {
        var items = new List<string>();
        foreach (var subset in (ep["subsets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ports = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => S(p, "port")).ToList();
            foreach (var a in (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>())
            {
                items.AddRange(ports.Count == 0 ? [S(a, "ip") ?? ""] : ports.Select(p => $"{S(a, "ip")}:{p}"));
            }
        }

        return items.Count == 0 ? "<none>" : string.Join(",", items);
    }

    private static JsonNode AccessModes(JsonObject pvc)
    {
        var modes = (pvc["status"]?["accessModes"] as JsonArray ?? pvc["spec"]?["accessModes"] as JsonArray ?? [])
            .Select(m => m?.ToString() switch
            {
                "ReadWriteOnce" => "RWO",
                "ReadOnlyMany" => "ROX",
                "ReadWriteMany" => "RWX",
                "ReadWriteOncePod" => "RWOP",
                var other => other ?? "",
            });
        return string.Join(",", modes);
    }

    private static JsonNode NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => S(c, "type") == "Ready");
        return S(ready, "status") == "True" ? "Ready" : "NotReady";
    }
}
