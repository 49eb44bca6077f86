using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// A custom resource schema's compiled <c>x-kubernetes-validations</c>, arranged as the schema is, and their evaluation
/// over an object as kube-apiserver's cel.Validator does: every rule on every present value, transition rules only
/// where an old value correlates (same property or map key, same list-map item), and, with ratcheting, failures of
/// non-transition rules on unchanged values only as warnings.
/// </summary>
internal sealed class CelValidator
{
    private readonly JsonObject _schema;
    private readonly bool _resourceRoot;
    private readonly IReadOnlyList<CompiledRule> _rules;
    private readonly IReadOnlyDictionary<string, CelValidator> _properties;
    private readonly CelValidator? _values;
    private readonly CelValidator? _items;

    private CelValidator(JsonObject schema, bool resourceRoot, IReadOnlyList<CompiledRule> rules,
        IReadOnlyDictionary<string, CelValidator> properties, CelValidator? values, CelValidator? items)
    {
        _schema = schema;
        _resourceRoot = resourceRoot;
        _rules = rules;
        _properties = properties;
        _values = values;
        _items = items;
    }

    /// <summary>The validator of a resource's openAPIV3Schema, or null when it carries no rules.</summary>
    public static CelValidator? For(JsonNode? schema) => schema is JsonObject root ? Build(root, resourceRoot: true) : null;

    /// <summary>
    /// Evaluates the rules on <paramref name="obj"/>; <paramref name="old"/> is the stored object on an update.
    /// With <paramref name="ratchet"/> (updates of the main resource), failures on unchanged values go to <paramref name="warnings"/>.
    /// </summary>
    public void Validate(JsonObject obj, JsonObject? old, bool ratchet, List<FieldError> errors, List<string> warnings) =>
        Validate("", obj, old, ratchet && old is not null && JsonNode.DeepEquals(obj, old), ratchet, errors, warnings);

    private static CelValidator? Build(JsonObject schema, bool resourceRoot)
    {
        var rules = (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(entry => CompiledRule.Compile(entry, schema, resourceRoot)).ToList();
        var properties = new Dictionary<string, CelValidator>(StringComparer.Ordinal);
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject s && Build(s, CelSchema.IsResourceRoot(s, false)) is { } child)
            {
                properties[name] = child;
            }
        }

        var values = CelSchema.IsMap(schema, out var valueSchema) && valueSchema is not null ? Build(valueSchema, CelSchema.IsResourceRoot(valueSchema, false)) : null;
        var items = CelSchema.Items(schema) is { } itemSchema ? Build(itemSchema, CelSchema.IsResourceRoot(itemSchema, false)) : null;
        return rules.Count > 0 || properties.Count > 0 || values is not null || items is not null
            ? new CelValidator(schema, resourceRoot, rules, properties, values, items)
            : null;
    }

    private void Validate(string path, JsonNode? value, JsonNode? old, bool unchanged, bool ratchet, List<FieldError> errors, List<string> warnings)
    {
        if (value is null)
        {
            return;
        }

        if (_rules.Count > 0)
        {
            Evaluate(path, value, old, unchanged, errors, warnings);
        }

        if (value is JsonObject obj)
        {
            var oldObj = old as JsonObject;
            foreach (var (key, item) in obj)
            {
                var oldItem = oldObj?[key];
                var same = ratchet && oldObj is not null && oldObj.ContainsKey(key) && JsonNode.DeepEquals(item, oldItem);
                if (_properties.TryGetValue(key, out var property))
                {
                    property.Validate(FieldPath.Child(path, key), item, oldItem, same, ratchet, errors, warnings);
                }

                _values?.Validate(FieldPath.Key(path, key), item, oldItem, same, ratchet, errors, warnings);
            }
        }
        else if (value is JsonArray list && _items is not null)
        {
            for (var i = 0; i < list.Count; i++)
            {
                // Only list-map items correlate with an old item; others are unchanged when the whole list is.
                var oldItem = ListMapItem(list[i], old as JsonArray);
                var same = oldItem is not null ? ratchet && JsonNode.DeepEquals(list[i], oldItem) : unchanged;
                _items.Validate(FieldPath.Index(path, i), list[i], oldItem, same, ratchet, errors, warnings);
            }
        }
    }

    private void Evaluate(string path, JsonNode value, JsonNode? old, bool unchanged, List<FieldError> errors, List<string> warnings)
    {
        var self = CelValues.From(value, _schema, _resourceRoot);
        var oldSelf = old is null ? null : CelValues.From(old, _schema, _resourceRoot);
        var type = FieldError.Quote(CelSchema.Type(_schema));
        foreach (var rule in _rules)
        {
            if (rule.Error is null && rule.UsesOldSelf && old is null)
            {
                continue;
            }

            var passed = rule.Evaluate(self, oldSelf, old is not null, out var error);
            if (passed is null)
            {
                errors.Add(FieldError.Invalid(FieldPath.Show(path), type, error!));
                continue;
            }

            if (passed.Value)
            {
                continue;
            }

            var field = FieldPath.Show(rule.NormalizedFieldPath.Length == 0 ? path : FieldPath.Child(path, rule.NormalizedFieldPath));
            var message = rule.FailureMessage(self, oldSelf, old is not null);
            var failure = rule.Reason switch
            {
                "FieldValueForbidden" => FieldError.Forbidden(field, message),
                "FieldValueRequired" => FieldError.Required(field, message),
                "FieldValueDuplicate" => FieldError.Duplicate(field, type),
                _ => FieldError.Invalid(field, type, message),
            };
            if (!rule.UsesOldSelf && unchanged)
            {
                warnings.Add(failure.ToString());
            }
            else
            {
                errors.Add(failure);
            }
        }
    }

    private JsonNode? ListMapItem(JsonNode? item, JsonArray? oldList)
    {
        if (oldList is null || item is not JsonObject obj || _schema["x-kubernetes-list-type"]?.GetValue<string>() != "map"
            || _schema["x-kubernetes-list-map-keys"] is not JsonArray keys)
        {
            return null;
        }

        var names = keys.Select(k => k?.GetValue<string>() ?? "").ToList();
        return oldList.OfType<JsonObject>().FirstOrDefault(candidate => names.All(k => JsonNode.DeepEquals(candidate[k], obj[k])));
    }
}
