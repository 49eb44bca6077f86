using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>Secrets: stringData is write-only, merged into data as base64; the type defaults to Opaque.</summary>
internal sealed class SecretStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    /// <inheritdoc />
    protected override void ApplyDefaults(JsonObject secret, JsonObject? old, WriteContext context)
    {
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = secret["data"] as JsonObject ?? new JsonObject();
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            }

            secret["data"] = data;
            secret.Remove("stringData");
        }

        secret["type"] ??= "Opaque";
    }
}
