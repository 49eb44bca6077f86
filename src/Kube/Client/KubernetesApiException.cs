using System.Net;
using k8s.Models;

namespace PgReplica.Kube.Client;

/// <summary>A non-2xx answer from the API server, carrying the decoded meta/v1 Status (one type for every failure the adapter maps).</summary>
public sealed class KubernetesApiException : Exception
{
    /// <summary>Wraps a Status (synthesised from the HTTP code when the body was not a Status).</summary>
    public KubernetesApiException(V1Status status, Exception? inner = null)
        : base($"Kubernetes API error {status.Code} {status.Reason}: {status.Message}", inner) => Status = status;

    /// <summary>The decoded Status.</summary>
    public V1Status Status { get; }

    /// <summary>HTTP status code.</summary>
    public int Code => Status.Code ?? 0;

    /// <summary>The Status reason (NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone, Forbidden…).</summary>
    public string? Reason => Status.Reason;

    /// <summary>404.</summary>
    public bool IsNotFound => Code == (int)HttpStatusCode.NotFound;

    /// <summary>409 Conflict: a stale resourceVersion.</summary>
    public bool IsConflict => Code == (int)HttpStatusCode.Conflict && Reason != "AlreadyExists";

    /// <summary>409 AlreadyExists on create.</summary>
    public bool IsAlreadyExists => Code == (int)HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>410 Gone/Expired: the resourceVersion is too old.</summary>
    public bool IsGone => Code == (int)HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    /// <summary>403.</summary>
    public bool IsForbidden => Code == (int)HttpStatusCode.Forbidden;

    /// <summary>422 Invalid (also a failed JSON-Patch test).</summary>
    public bool IsInvalid => Code == (int)HttpStatusCode.UnprocessableEntity;

    /// <summary>A Status for <paramref name="code"/> when the server's body said nothing better.</summary>
    public static KubernetesApiException From(int code, string? reason, string? message) =>
        new(new V1Status { Code = code, Reason = reason, Message = message, Status = "Failure" });
}
