using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>A PATCH body: its media type (JSON patch, merge patch, apply patch, strategic merge patch) and the parsed patch.</summary>
internal sealed record PatchDocument(string MediaType, JsonNode? Patch)
{
    /// <summary>Whether this is a server-side apply patch (which creates a missing object).</summary>
    public bool IsApply => MediaType == "application/apply-patch+yaml";

    /// <summary>Reads the body; 415 for a media type the resource does not accept (custom resources take no strategic merge patch), 400 for a body that does not parse.</summary>
    public static PatchDocument Parse(ApiResource r, string contentType, string body)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/merge-patch+json" or "application/apply-patch+yaml" or "application/json-patch+json")
            && !(mediaType == "application/strategic-merge-patch+json" && !r.IsCustom))
        {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
                + $"application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(r.IsCustom ? "" : ", application/strategic-merge-patch+json")}");
        }

        try
        {
            return new PatchDocument(mediaType, mediaType == "application/apply-patch+yaml" ? YamlJson.Parse(body) : JsonNode.Parse(body));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiException.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    /// <summary>The object with the patch applied (apply patches merge, as the sandbox has no field managers).</summary>
    public JsonObject ApplyTo(JsonObject current)
    {
        JsonNode? patched = MediaType switch
        {
            "application/merge-patch+json" or "application/apply-patch+yaml" => MergePatch.Apply(current, Patch),
            "application/json-patch+json" => Patch is JsonArray ops ? JsonPatch.Apply(current, ops) : throw ApiException.BadRequest("a JSON patch must be an array"),
            _ => Patch is JsonObject p ? StrategicMergePatch.Apply(current, p) : throw ApiException.BadRequest("a strategic merge patch must be an object"),
        };
        return patched as JsonObject ?? throw ApiException.BadRequest("the patch did not produce an object");
    }
}
