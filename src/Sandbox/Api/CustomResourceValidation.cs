using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;

namespace PgReplica.Sandbox.Api;

/// <summary>What the API server does to a custom resource before storing it: prune, default, validate.</summary>
internal static class CustomResourceValidation
{
    /// <summary>
    /// Prunes unknown fields (422 under fieldValidation=Strict), applies schema defaults, then validates.
    /// Returns warnings for fieldValidation=Warn.
    /// </summary>
    public static IReadOnlyList<string> Prepare(ApiResource r, JsonObject obj, string? fieldValidation)
    {
        if (r.Schema is null)
        {
            return [];
        }

        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        var unknown = StructuralSchemaValidator.Prune(r.Schema, obj);
        if (unknown.Count > 0 && string.Equals(fieldValidation, "Strict", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.Invalid(r, name, unknown.Select(p => (p, "field not declared in schema")).ToList());
        }

        StructuralSchemaValidator.ApplyDefaults(r.Schema, obj);
        var violations = StructuralSchemaValidator.Validate(r.Schema, obj);
        if (violations.Count > 0)
        {
            throw ApiException.Invalid(r, name, violations.Select(v => (v.Path.Length == 0 ? "<root>" : v.Path, v.Message)).ToList());
        }

        return string.Equals(fieldValidation, "Warn", StringComparison.OrdinalIgnoreCase)
            ? unknown.Select(p => $"unknown field \"{p}\"").ToList()
            : [];
    }
}
