using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>
/// What kube-apiserver checks of quantities in a pod's containers and a claim's request (ValidateResourceRequirements,
/// ValidatePersistentVolumeClaimSpec): parseable, not negative, a claim's storage above zero, requests within limits.
/// </summary>
internal static class ResourceRequirementsValidation
{
    private const string Negative = "must be greater than or equal to 0";

    /// <summary>The errors of every container's and init container's resources.</summary>
    public static IReadOnlyList<FieldError> OfPod(JsonObject pod, string kind)
    {
        var errors = new List<FieldError>();
        foreach (var list in new[] { "initContainers", "containers" })
        {
            var containers = pod["spec"]?[list] as JsonArray ?? [];
            for (var i = 0; i < containers.Count; i++)
            {
                var path = $"spec.{list}[{i}].resources";
                var resources = containers[i]?["resources"];
                var limits = Quantities(resources?["limits"] as JsonObject, $"{path}.limits", kind, errors);
                var requests = Quantities(resources?["requests"] as JsonObject, $"{path}.requests", kind, errors);
                foreach (var (name, (text, value)) in requests)
                {
                    if (limits.TryGetValue(name, out var limit) && value > limit.Value)
                    {
                        errors.Add(FieldError.Invalid($"{path}.requests", FieldError.Quote(text), $"must be less than or equal to {name} limit of {limit.Text}"));
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>The errors of a claim's storage request: required, parseable, above zero.</summary>
    public static IReadOnlyList<FieldError> OfClaim(JsonObject claim, string kind)
    {
        var errors = new List<FieldError>();
        var requests = Quantities(claim["spec"]?["resources"]?["requests"] as JsonObject, "spec.resources.requests", kind, errors);
        if (!requests.TryGetValue("storage", out var storage))
        {
            errors.Add(FieldError.Required("spec.resources[storage]", ""));
        }
        else if (storage.Value <= 0)
        {
            errors.Add(FieldError.Invalid("spec.resources.requests[storage]", FieldError.Quote(storage.Text), "must be greater than zero"));
        }

        return errors;
    }

    // Each quantity by name; a negative one is an error, one that does not parse is refused as the decoder refuses it.
    private static Dictionary<string, (string Text, double Value)> Quantities(JsonObject? map, string path, string kind, List<FieldError> errors)
    {
        var found = new Dictionary<string, (string Text, double Value)>(StringComparer.Ordinal);
        foreach (var (name, node) in map ?? [])
        {
            // A quantity is a string in JSON, but a bare number (cpu: 2) is one too.
            var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
            var value = ResourceQuantity.TryParse(text)
                ?? throw ApiException.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: quantities must match the regular expression '{ResourceQuantity.Pattern}'");
            if (value < 0)
            {
                errors.Add(FieldError.Invalid($"{path}[{name}]", FieldError.Quote(text), Negative));
            }

            found[name] = (text, value);
        }

        return found;
    }
}
