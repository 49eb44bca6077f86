using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api.CelRules;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>
/// CustomResourceDefinitions: the name is plural.group, some version is served, and every x-kubernetes-validations
/// rule compiles; a new definition is Established at once.
/// </summary>
internal sealed class CustomResourceDefinitionStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(JsonObject obj, WriteContext context) => [.. base.Validate(obj, context), .. Definition(obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject obj, JsonObject old, WriteContext context) => Definition(obj);

    /// <inheritdoc />
    public override JsonNode? AfterCreate(JsonObject created)
    {
        var now = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        var versions = (created["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)
            .Select(v => (JsonNode)(v["name"]?.GetValue<string>() ?? "")).ToArray();
        return new JsonObject
        {
            ["acceptedNames"] = created["spec"]?["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["storedVersions"] = new JsonArray(versions),
        };
    }

    private static List<FieldError> Definition(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var served = CrdResources.From(crd);
        var spec = crd["spec"]!;
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (name != $"{spec["names"]?["plural"]}.{spec["group"]}")
        {
            errors.Add(FieldError.Invalid("metadata.name", FieldError.Quote(name), "must be spec.names.plural+\".\"+spec.group"));
        }

        if (served.Count == 0)
        {
            errors.Add(FieldError.FromBody("spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }

        errors.AddRange(CrdRuleCheck.Check(crd));
        return errors;
    }
}
