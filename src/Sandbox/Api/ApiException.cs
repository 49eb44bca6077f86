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

    /// <summary>403 Forbidden for a named object, as apimachinery's NewForbidden words it: "pods "x" is forbidden: why".</summary>
    public static ApiException Forbidden(ApiResource r, string name, string why) =>
        new(403, "Forbidden", $"{r.Type} \"{name}\" is forbidden: {why}", StatusObjects.Details(r, name));

    /// <summary>400 with a message.</summary>
    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>422 Invalid with field causes given as (path, body) pairs; each cause's reason follows the body's wording.</summary>
    public static ApiException Invalid(ApiResource r, string name, IReadOnlyList<(string Field, string Message)> causes) =>
        Invalid(r, name, causes.Select(c => FieldError.FromBody(c.Field, c.Message)).ToList());

    /// <summary>422 Invalid, phrased as apimachinery's NewInvalid: one cause per error, the message lists each once.</summary>
    public static ApiException Invalid(ApiResource r, string name, IReadOnlyList<FieldError> errors)
    {
        var lines = errors.Select(e => e.ToString()).Distinct().ToList();
        var text = lines.Count switch
        {
            0 => "",
            1 => ": " + lines[0],
            _ => ": [" + string.Join(", ", lines) + "]",
        };
        var details = StatusObjects.Details(r, name, kindIsKind: true);
        details["causes"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject
        {
            ["reason"] = e.Type,
            ["message"] = e.Body,
            ["field"] = e.Field,
        }).ToArray());
        return new ApiException(422, "Invalid", $"{r.QualifiedKind} \"{name}\" is invalid{text}", details);
    }

    /// <summary>Throws <see cref="Invalid(ApiResource, string, IReadOnlyList{FieldError})"/> when there are errors.</summary>
    public static void ThrowIfInvalid(ApiResource r, string name, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw Invalid(r, name, errors);
        }
    }
}
