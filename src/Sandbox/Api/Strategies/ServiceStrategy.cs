using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>Services: names are DNS labels, the server's defaults (type, port protocol, targetPort), the cluster IP kept once assigned.</summary>
internal sealed class ServiceStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    /// <inheritdoc />
    protected override bool NameIsLabel => true;

    /// <inheritdoc />
    protected override void ApplyDefaults(JsonObject service, JsonObject? old, WriteContext context)
    {
        if (service["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["type"] ??= "ClusterIP";
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
        }

        // The cluster IP is immutable once assigned (by the Service proxies).
        if (old?["spec"]?["clusterIP"] is { } ip && spec["clusterIP"] is null)
        {
            spec["clusterIP"] = ip.DeepClone();
        }
    }
}
