using System.Text.Json.Nodes;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Crd;

/// <summary>Schemas of Kubernetes types the entity classes reuse but do not carry attributes for.</summary>
internal static class WellKnownSchemas
{
    /// <summary>apiVersion at the root, worded as in every generated CRD.</summary>
    public static JsonObject ApiVersion() => new()
    {
        ["description"] = "APIVersion defines the versioned schema of this representation of an object. "
            + "Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        ["type"] = "string",
    };

    /// <summary>kind at the root.</summary>
    public static JsonObject Kind() => new()
    {
        ["description"] = "Kind is a string value representing the REST resource this object represents. "
            + "Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.",
        ["type"] = "string",
    };

    /// <summary>metadata at the root: the API server owns its schema, a CRD only says it is an object.</summary>
    public static JsonObject ObjectMeta() => new() { ["type"] = "object" };

    /// <summary>metav1.Condition with the constraints the upstream type declares.</summary>
    public static JsonObject Condition() => new()
    {
        ["description"] = "Condition contains details for one aspect of the current state of this API Resource.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject
            {
                ["description"] = "When the condition last changed from one status to another.",
                ["type"] = "string",
                ["format"] = "date-time",
            },
            ["message"] = new JsonObject
            {
                ["description"] = "Human-readable details about the transition; may be empty.",
                ["type"] = "string",
                ["maxLength"] = 32768,
            },
            ["observedGeneration"] = new JsonObject
            {
                ["description"] = "The metadata.generation the condition was set for.",
                ["type"] = "integer",
                ["format"] = "int64",
                ["minimum"] = 0,
            },
            ["reason"] = new JsonObject
            {
                ["description"] = "Programmatic identifier of the reason for the last transition, in CamelCase.",
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = 1024,
                ["pattern"] = Patterns.ConditionReason,
            },
            ["status"] = new JsonObject
            {
                ["description"] = "Status of the condition: True, False or Unknown.",
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
            },
            ["type"] = new JsonObject
            {
                ["description"] = "Type of condition in CamelCase, e.g. Ready.",
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = Patterns.ConditionType,
            },
        },
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
    };
}
