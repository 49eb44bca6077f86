using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>meta/v1 Status: the body of every API error and of some successful deletes.</summary>
public sealed class Status : KubernetesObject
{
    /// <summary>A Status with apiVersion and kind filled in.</summary>
    public Status()
    {
        ApiVersion = "v1";
        Kind = "Status";
    }

    /// <summary>Success or Failure.</summary>
    [JsonPropertyName("status")] public string? Outcome { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    /// <summary>Machine-readable reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone…</summary>
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("details")] public StatusDetails? Details { get; set; }
    /// <summary>HTTP status code.</summary>
    [JsonPropertyName("code")] public int? Code { get; set; }
}

/// <summary>meta/v1 StatusDetails.</summary>
public sealed class StatusDetails
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("causes")] public List<StatusCause>? Causes { get; set; }
    [JsonPropertyName("retryAfterSeconds")] public int? RetryAfterSeconds { get; set; }
}

/// <summary>meta/v1 StatusCause.</summary>
public sealed class StatusCause
{
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("field")] public string? Field { get; set; }
}
