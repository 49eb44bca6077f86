namespace PgReplica.Operator.Status;

/// <summary>A Kubernetes Event the operator emits about a PostgresReplicaSet.</summary>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">CamelCase reason, e.g. StandbyStreaming.</param>
/// <param name="Message">Human-readable text.</param>
public sealed record ClusterEvent(string Type, string Reason, string Message)
{
    /// <summary>Event type for expected happenings.</summary>
    public const string Normal = "Normal";

    /// <summary>Event type for trouble.</summary>
    public const string Warning = "Warning";

    /// <summary>An event of type Normal.</summary>
    public static ClusterEvent Info(string reason, string message) => new(Normal, reason, message);

    /// <summary>An event of type Warning.</summary>
    public static ClusterEvent Warn(string reason, string message) => new(Warning, reason, message);
}
