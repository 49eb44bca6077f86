using System.Globalization;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Node;

/// <summary>A pod condition as last reported: its status, when it last changed, and why.</summary>
internal sealed record PodCondition(bool Status, string LastTransitionTime, string? Reason);

/// <summary>Where the pod lives: its IP, the node's IP, when it started.</summary>
internal sealed record PodPlacement(string PodIp, string HostIp, string StartTime);

/// <summary>
/// Builds status.* of a pod from a snapshot, as the kubelet's generateAPIPodStatus does: phase, the four
/// conditions (a transition time moves only when the condition changes), container statuses. Pure.
/// </summary>
internal static class PodStatusBuilder
{
    private static readonly string[] ConditionOrder = ["Initialized", "Ready", "ContainersReady", "PodScheduled"];

    /// <summary>The status, and the conditions to remember for the next build.</summary>
    public static (JsonObject Status, IReadOnlyDictionary<string, PodCondition> Conditions) Build(
        PodSnapshot pod, PodPlacement placement, IReadOnlyDictionary<string, PodCondition> previous, DateTimeOffset now)
    {
        var allReady = pod.Initialized && pod.Main.Count > 0 && pod.Main.All(s => s.Ready);
        var wanted = new Dictionary<string, (bool Status, string? Reason)>(StringComparer.Ordinal)
        {
            ["PodScheduled"] = (true, null),
            ["Initialized"] = (pod.Initialized, pod.Initialized ? null : "ContainersNotInitialized"),
            ["ContainersReady"] = (allReady, allReady ? null : "ContainersNotReady"),
            ["Ready"] = (allReady, allReady ? null : "ContainersNotReady"),
        };
        var conditions = new Dictionary<string, PodCondition>(StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var type in ConditionOrder)
        {
            var (status, reason) = wanted[type];
            var c = previous.TryGetValue(type, out var old) && old.Status == status && old.Reason == reason
                ? old
                : new PodCondition(status, old is not null && old.Status == status ? old.LastTransitionTime : Format(now), reason);
            conditions[type] = c;
            var o = new JsonObject
            {
                ["type"] = type,
                ["status"] = c.Status ? "True" : "False",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = c.LastTransitionTime,
            };
            if (c.Reason is not null)
            {
                o["reason"] = c.Reason;
            }

            array.Add(o);
        }

        var result = new JsonObject
        {
            ["phase"] = Phase(pod),
            ["conditions"] = array,
            ["hostIP"] = placement.HostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = placement.HostIp }),
            ["podIP"] = placement.PodIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = placement.PodIp }),
            ["startTime"] = placement.StartTime,
            ["qosClass"] = "BestEffort",
        };
        if (pod.Init.Count > 0)
        {
            result["initContainerStatuses"] = new JsonArray(pod.Init.Select(s => (JsonNode)ContainerStatus(s)).ToArray());
        }

        result["containerStatuses"] = new JsonArray(pod.Main.Select(s => (JsonNode)ContainerStatus(s)).ToArray());
        return (result, conditions);
    }

    /// <summary>Pending until initialized and a container ran; Succeeded/Failed once every container is done; Failed when the pod failed.</summary>
    public static string Phase(PodSnapshot pod)
    {
        if (pod.Failed)
        {
            return "Failed";
        }

        if (!pod.Initialized)
        {
            return "Pending";
        }

        if (pod.Main.Count > 0 && pod.Main.All(s => s.Done))
        {
            return pod.Main.All(s => s.LastExitCode == 0) ? "Succeeded" : "Failed";
        }

        return pod.Main.Any(s => s.ContainerId is not null) ? "Running" : "Pending";
    }

    /// <summary>The entry of containerStatuses / initContainerStatuses.</summary>
    public static JsonObject ContainerStatus(ContainerSnapshot c)
    {
        var s = new JsonObject
        {
            ["name"] = c.Name,
            ["state"] = c.State.DeepClone(),
            ["lastState"] = c.LastState?.DeepClone() ?? new JsonObject(),
            ["ready"] = c.Ready,
            ["restartCount"] = c.RestartCount,
            ["image"] = c.Image,
            ["imageID"] = c.ImageId,
            ["started"] = c.Started,
        };
        if (c.ContainerId is not null)
        {
            s["containerID"] = c.ContainerId;
        }

        return s;
    }

    /// <summary>RFC 3339 at second precision, as Kubernetes writes times.</summary>
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
