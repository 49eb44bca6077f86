using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// What kube-apiserver checks of a CRD's <c>x-kubernetes-validations</c> when the CRD is written: each entry's shape
/// (rule, message, reason, fieldPath), then, where the shapes are right, that its rule and messageExpression compile.
/// </summary>
internal static class CrdRuleCheck
{
    private static readonly string[] Reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    /// <summary>The errors, with paths into the CRD (<c>spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule</c>).</summary>
    public static IReadOnlyList<FieldError> Check(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var schemas = (crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => v["schema"]?["openAPIV3Schema"] as JsonObject).ToList();
        // The API server keeps one schema shared by every version in spec.validation, and reports it there.
        if (schemas.Count > 0 && schemas.All(s => JsonNode.DeepEquals(s, schemas[0])))
        {
            if (schemas[0] is { } shared)
            {
                CheckNode(shared, "spec.validation.openAPIV3Schema", true, null, errors);
            }

            return errors;
        }

        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i] is { } schema)
            {
                CheckNode(schema, $"spec.versions[{i}].schema.openAPIV3Schema", true, null, errors);
            }
        }

        return errors;
    }

    // Children first, as the API server walks; returns whether an entry's shape was wrong here or below.
    private static bool CheckNode(JsonObject schema, string path, bool resourceRoot, string? uncorrelatable, List<FieldError> errors)
    {
        var shapeErrors = false;
        if (CelSchema.IsMap(schema, out var values) && values is not null)
        {
            shapeErrors |= CheckNode(values, path + ".additionalProperties", CelSchema.IsResourceRoot(values, false), uncorrelatable, errors);
        }

        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject child)
            {
                shapeErrors |= CheckNode(child, FieldPath.Key(path + ".properties", name), CelSchema.IsResourceRoot(child, false), uncorrelatable, errors);
            }
        }

        if (CelSchema.Items(schema) is { } items)
        {
            // Items of a list that is not a list-map have no old value to compare with.
            var within = uncorrelatable ?? (schema["x-kubernetes-list-type"]?.GetValue<string>() == "map" ? null : path + ".items");
            shapeErrors |= CheckNode(items, path + ".items", CelSchema.IsResourceRoot(items, false), within, errors);
        }

        var rules = (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(entry => CompiledRule.Compile(entry, schema, resourceRoot)).ToList();
        for (var i = 0; i < rules.Count; i++)
        {
            shapeErrors |= CheckShape(rules[i], schema, $"{path}.x-kubernetes-validations[{i}]", errors);
        }

        for (var i = 0; i < rules.Count && !shapeErrors; i++)
        {
            CheckCompiles(rules[i], $"{path}.x-kubernetes-validations[{i}]", uncorrelatable, errors);
        }

        return shapeErrors;
    }

    private static bool CheckShape(CompiledRule rule, JsonObject schema, string path, List<FieldError> errors)
    {
        var before = errors.Count;
        var message = rule.Message.Trim();
        if (rule.Rule.Trim().Length == 0)
        {
            errors.Add(FieldError.Required(path + ".rule", "rule is not specified"));
        }
        else if (rule.Message.Length > 0 && message.Length == 0)
        {
            errors.Add(FieldError.Invalid(path + ".message", FieldError.Quote(rule.Message), "message must be non-empty if specified"));
        }
        else if (message.Contains('\n'))
        {
            errors.Add(FieldError.Invalid(path + ".message", FieldError.Quote(rule.Message), "message must not contain line breaks"));
        }
        else if (rule.Rule.Trim().Contains('\n') && message.Length == 0)
        {
            errors.Add(FieldError.Required(path + ".message", "message must be specified if rule contains line breaks"));
        }

        if (rule.MessageExpression.Length > 0 && rule.MessageExpression.Trim().Length == 0)
        {
            errors.Add(FieldError.Required(path + ".messageExpression", "messageExpression must be non-empty if specified"));
        }

        if (rule.Reason is { } reason && !Reasons.Contains(reason))
        {
            errors.Add(FieldError.NotSupported(path + ".reason", reason, Reasons));
        }

        if (rule.FieldPath.Length > 0)
        {
            var problem = rule.FieldPath.Trim().Length == 0 ? "fieldPath must be non-empty if specified"
                : rule.FieldPath.Contains('\n') ? "fieldPath must not contain line breaks"
                : CelFieldPath.Resolve(rule.FieldPath, schema, out _) is not null ? "fieldPath must be a valid path"
                : null;
            if (problem is not null)
            {
                errors.Add(FieldError.Invalid(path + ".fieldPath", FieldError.Quote(rule.FieldPath), problem));
            }
        }

        return errors.Count > before;
    }

    private static void CheckCompiles(CompiledRule rule, string path, string? uncorrelatable, List<FieldError> errors)
    {
        if (rule.Error is not null)
        {
            errors.Add(FieldError.Invalid(path + ".rule", rule.GoValue(), rule.Error));
        }

        if (rule.MessageExpressionError is not null)
        {
            errors.Add(FieldError.Invalid(path + ".messageExpression", rule.GoValue(), rule.MessageExpressionError));
        }

        if (rule.UsesOldSelf && uncorrelatable is not null)
        {
            errors.Add(FieldError.Invalid(path + ".rule", FieldError.Quote(rule.Rule),
                $"oldSelf cannot be used on the uncorrelatable portion of the schema within {uncorrelatable}"));
        }
        else if (!rule.UsesOldSelf && rule.OptionalOldSelf is { } optional)
        {
            errors.Add(FieldError.Invalid(path + ".optionalOldSelf", optional ? "true" : "false", "may not be set if oldSelf is not used in rule"));
        }
    }
}
