using System.Text.Json.Nodes;

namespace PgReplica.Entities.Schema;

/// <summary>One way an object breaks its CRD schema, with the field path kubectl prints (e.g. <c>spec.replicas</c>).</summary>
public sealed record SchemaViolation(string Path, string Message);

/// <summary>
/// Validates objects against a CRD's openAPIV3Schema (the Kubernetes structural-schema subset),
/// applies its defaults and finds unknown fields. Shared by the sandbox's API server and the tests.
/// </summary>
public static class StructuralSchemaValidator
{
    /// <summary>Every violation of the schema by value (types, required, enums, min/max, patterns, formats).</summary>
    public static IReadOnlyList<SchemaViolation> Validate(JsonNode schema, JsonNode? value) =>
        throw new NotImplementedException("filled in by the Entities work");

    /// <summary>Writes the schema's defaults into value where fields are absent, as the API server does before validation.</summary>
    public static void ApplyDefaults(JsonNode schema, JsonNode? value) =>
        throw new NotImplementedException("filled in by the Entities work");

    /// <summary>Paths of fields the schema does not declare (pruned by the server; rejected under fieldValidation=Strict).</summary>
    public static IReadOnlyList<string> UnknownFields(JsonNode schema, JsonNode? value) =>
        throw new NotImplementedException("filled in by the Entities work");
}
