using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>Pods: the server's defaults (restartPolicy, port protocols), resource quantities checked, Pending on create, graceful deletion while on the node.</summary>
internal sealed class PodStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    /// <inheritdoc />
    public override bool DeletesGracefully => true;

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(JsonObject obj, WriteContext context) =>
        [.. base.Validate(obj, context), .. ResourceRequirementsValidation.OfPod(obj, "Pod")];

    /// <inheritdoc />
    public override void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        base.PrepareForCreate(obj, context);
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    /// <summary>
    /// A pod running on the node is deleted gracefully (as for a real kubelet: the node agent stops the containers,
    /// then removes the pod); an unscheduled or finished pod, or a grace period of 0, goes at once.
    /// </summary>
    public override long? GracePeriod(JsonObject obj, DeleteOptions options)
    {
        var grace = options.GracePeriodSeconds ?? JsonNumber.Long(obj["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
        var bound = !string.IsNullOrEmpty(obj["spec"]?["nodeName"]?.GetValue<string>());
        var phase = obj["status"]?["phase"]?.GetValue<string>();
        return bound && grace > 0 && phase is not ("Succeeded" or "Failed") ? grace : null;
    }

    /// <inheritdoc />
    protected override void ApplyDefaults(JsonObject pod, JsonObject? old, WriteContext context)
    {
        if (pod["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["restartPolicy"] ??= "Always";
        foreach (var container in (spec["containers"] as JsonArray ?? []).Concat(spec["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
            }
        }
    }
}
