using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>Builds meta/v1 Status bodies.</summary>
internal static class StatusObjects
{
    /// <summary>A failure Status.</summary>
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    /// <summary>The Success Status a DELETE answers when the object is gone at once.</summary>
    public static JsonObject Success(ApiResource r, string name, string? uid)
    {
        var details = Details(r, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    /// <summary>Status details naming an object; kind is the plural unless <paramref name="kindIsKind"/>.</summary>
    public static JsonObject Details(ApiResource r, string name, bool kindIsKind = false) => new()
    {
        ["name"] = name,
        ["group"] = r.Group,
        ["kind"] = kindIsKind ? r.Kind : r.Plural,
    };
}
