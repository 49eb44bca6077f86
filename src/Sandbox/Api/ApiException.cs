using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>A request failed; carries what the Kubernetes Status body says.</summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Code { get; } = code;

    /// <summary>Status reason (NotFound, AlreadyExists, Conflict, Invalid, BadRequest, …).</summary>
    public string Reason { get; } = reason;

    /// <summary>Status details (name, group, kind, causes), or null.</summary>
    public JsonObject? Details { get; } = details;

    /// <summary>The Status object sent as the response body.</summary>
    public JsonObject ToStatus() => StatusObjects.Failure(Code, Reason, Message, Details);

    /// <summary>404 for a named object of a resource.</summary>
    public static ApiException NotFound(ApiResource r, string name) =>
        new(404, "NotFound", $"{r.Type} \"{name}\" not found", StatusObjects.Details(r, name));

    /// <summary>400 with a message.</summary>
    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>422 Invalid with field causes, phrased as the real server does.</summary>
    public static ApiException Invalid(ApiResource r, string name, IReadOnlyList<(string Field, string Message)> causes)
    {
        var text = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : "[" + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        var details = StatusObjects.Details(r, name, kindIsKind: true);
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldValueInvalid",
            ["message"] = c.Message,
            ["field"] = c.Field,
        }).ToArray());
        return new ApiException(422, "Invalid", $"{r.QualifiedKind} \"{name}\" is invalid: {text}", details);
    }
}
