using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;
using PgReplica.Sandbox.Api.CelRules;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>
/// Objects of a CRD: pruned and defaulted by the schema, then validated by it and by its x-kubernetes-validations
/// (CEL, compiled once per definition). Updates must name the resourceVersion they replace.
/// </summary>
internal sealed class CustomResourceStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    private readonly CelValidator? _rules = CelValidator.For(resource.Schema);

    /// <inheritdoc />
    public override bool AllowUnconditionalUpdate => false;

    /// <inheritdoc />
    public override void PrepareForStatusUpdate(JsonObject obj, JsonObject old, WriteContext context) => ApplyDefaults(obj, old, context);

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(JsonObject obj, WriteContext context) =>
        Check(obj, null, ratchet: false, base.Validate(obj, context), context);

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject obj, JsonObject old, WriteContext context) =>
        Check(obj, old, ratchet: true, [], context);

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject obj, JsonObject old, WriteContext context) =>
        Check(obj, old, ratchet: false, [], context);

    /// <summary>What the API server does while decoding a custom resource: drop undeclared fields, fill in the schema's defaults.</summary>
    protected override void ApplyDefaults(JsonObject obj, JsonObject? old, WriteContext context)
    {
        if (Resource.Schema is { } schema)
        {
            context.UnknownFields.AddRange(StructuralSchemaValidator.Prune(schema, obj));
            StructuralSchemaValidator.ApplyDefaults(schema, obj);
        }
    }

    // The schema first; the rules only when no error of a kind that makes them meaningless was found (hasBlockingErr).
    private List<FieldError> Check(JsonObject obj, JsonObject? old, bool ratchet, IReadOnlyList<FieldError> metadata, WriteContext context)
    {
        var errors = metadata.ToList();
        if (Resource.Schema is not { } schema)
        {
            return errors;
        }

        if (context.Strict && context.UnknownFields.Count > 0)
        {
            return context.UnknownFields.Select(path => FieldError.FromBody(path, "field not declared in schema")).ToList();
        }

        if (context.Warn)
        {
            context.Warnings.AddRange(context.UnknownFields.Select(path => $"unknown field \"{path}\""));
        }

        errors.AddRange(StructuralSchemaValidator.Validate(schema, obj).Select(v => FieldError.FromBody(FieldPath.Show(v.Path), v.Message)));
        if (_rules is null)
        {
            return errors;
        }

        if (errors.Any(e => e.BlocksRules))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root, "\"null\"",
                "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
        }
        else
        {
            _rules.Validate(obj, old, ratchet, errors, context.Warnings);
        }

        return errors;
    }
}
