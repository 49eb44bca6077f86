using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Tests;

/// <summary>Runs an object through the steps the API server (and the sandbox) apply to a custom resource.</summary>
internal static class Admission
{
    public static JsonObject CrdSchema { get; } = PostgresReplicaSetCrd.Schema();

    /// <summary>A minimal resource named orders whose spec is the given JSON.</summary>
    public static JsonObject Resource(string specJson = "{}") => new()
    {
        ["apiVersion"] = "pgreplica.io/v1alpha1",
        ["kind"] = "PostgresReplicaSet",
        ["metadata"] = new JsonObject { ["name"] = "orders", ["namespace"] = "default" },
        ["spec"] = JsonNode.Parse(specJson),
    };

    /// <summary>Defaults then validates; returns the violations as the API server prints them.</summary>
    public static List<string> Admit(JsonNode resource)
    {
        StructuralSchemaValidator.ApplyDefaults(CrdSchema, resource);
        return StructuralSchemaValidator.Validate(CrdSchema, resource).Select(v => v.ToString()).ToList();
    }

    public static List<string> AdmitSpec(string specJson) => Admit(Resource(specJson));

    /// <summary>Defaults then validates a resource with the given spec; returns the violations themselves.</summary>
    public static IReadOnlyList<SchemaViolation> AdmitSpecViolations(string specJson)
    {
        var resource = Resource(specJson);
        StructuralSchemaValidator.ApplyDefaults(CrdSchema, resource);
        return StructuralSchemaValidator.Validate(CrdSchema, resource);
    }
}
