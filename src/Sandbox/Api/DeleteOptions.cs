using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>What a DELETE asked for: propagation policy and preconditions.</summary>
public sealed record DeleteOptions(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    /// <summary>Grace period for pods (null: the pod's terminationGracePeriodSeconds; 0: at once).</summary>
    public long? GracePeriodSeconds { get; init; }

    /// <summary>No options: background propagation, no preconditions.</summary>
    public static readonly DeleteOptions Default = new(null, null, null, false);

    /// <summary>Reads a DeleteOptions body (may be empty) and the query's propagationPolicy/dryRun.</summary>
    public static DeleteOptions From(JsonObject? body, string? queryPolicy, bool dryRun, string? queryGrace = null)
    {
        var policy = body?["propagationPolicy"]?.GetValue<string>() ?? queryPolicy;
        if (policy is null && body?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var orphan))
        {
            policy = orphan ? "Orphan" : "Background";
        }

        var dry = dryRun || (body?["dryRun"] as JsonArray)?.Count > 0;
        var grace = PgReplica.Sandbox.Store.JsonNumber.Long(body?["gracePeriodSeconds"])
            ?? (long.TryParse(queryGrace, out var g) ? g : null);
        return new DeleteOptions(policy, body?["preconditions"]?["uid"]?.GetValue<string>(),
            body?["preconditions"]?["resourceVersion"]?.GetValue<string>(), dry)
        { GracePeriodSeconds = grace };
    }
}
