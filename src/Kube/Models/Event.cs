using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>core/v1 Event (the form kubectl describe shows).</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Event", PluralName = "events")]
public sealed class Event : KubernetesObject
{
    /// <summary>An Event with apiVersion and kind filled in.</summary>
    public Event()
    {
        ApiVersion = "v1";
        Kind = "Event";
    }

    [JsonPropertyName("involvedObject")] public ObjectReference InvolvedObject { get; set; } = new();
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    /// <summary>Normal or Warning.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("count")] public int? Count { get; set; }
    [JsonPropertyName("firstTimestamp")]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }
    [JsonPropertyName("lastTimestamp")]
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }
    [JsonPropertyName("eventTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }
    [JsonPropertyName("source")] public EventSource? Source { get; set; }
    [JsonPropertyName("reportingComponent")] public string? ReportingComponent { get; set; }
    [JsonPropertyName("reportingInstance")] public string? ReportingInstance { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
}

/// <summary>core/v1 ObjectReference.</summary>
public sealed class ObjectReference
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("fieldPath")] public string? FieldPath { get; set; }
}

/// <summary>core/v1 EventSource.</summary>
public sealed class EventSource
{
    [JsonPropertyName("component")] public string? Component { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
}
