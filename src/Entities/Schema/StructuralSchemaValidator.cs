using System.Globalization;
using System.Text.Json.Nodes;

namespace PgReplica.Entities.Schema;

/// <summary>One way an object breaks its CRD schema, with the field path kubectl prints (e.g. <c>spec.replicas</c>).</summary>
public sealed record SchemaViolation(string Path, string Message)
{
    /// <summary>As the API server prints a field error: <c>spec.replicas: Invalid value: 40: …</c>.</summary>
    public override string ToString() => $"{(Path.Length == 0 ? "<root>" : Path)}: {Message}";
}

/// <summary>
/// Validates objects against a CRD's openAPIV3Schema (the Kubernetes structural-schema subset),
/// applies its defaults and finds unknown fields. Shared by the sandbox's API server and the tests.
/// The API server's order is: <see cref="Prune"/> (or reject <see cref="UnknownFields"/>), <see cref="ApplyDefaults"/>,
/// then <see cref="Validate"/>. x-kubernetes-validations (CEL) are not evaluated here.
/// </summary>
public static class StructuralSchemaValidator
{
    /// <summary>Every violation of the schema by value (types, required, enums, min/max, patterns, formats).</summary>
    public static IReadOnlyList<SchemaViolation> Validate(JsonNode schema, JsonNode? value)
    {
        var violations = new List<SchemaViolation>();
        Check(schema as JsonObject, value, "", violations);
        return violations;
    }

    /// <summary>
    /// Writes the schema's defaults into value where fields are absent, as the API server does before validation.
    /// Like the API server it first drops null values of fields that are not <c>nullable</c> (a default then fills them).
    /// </summary>
    public static void ApplyDefaults(JsonNode schema, JsonNode? value) => Default(schema as JsonObject, value);

    /// <summary>Paths of fields the schema does not declare (pruned by the server; rejected under fieldValidation=Strict).</summary>
    public static IReadOnlyList<string> UnknownFields(JsonNode schema, JsonNode? value)
    {
        var paths = new List<string>();
        FindUnknown(schema as JsonObject, value, "", remove: false, paths, isRoot: true);
        return paths;
    }

    /// <summary>Removes the fields the schema does not declare, as the API server prunes them; returns their paths.</summary>
    public static IReadOnlyList<string> Prune(JsonNode schema, JsonNode? value)
    {
        var paths = new List<string>();
        FindUnknown(schema as JsonObject, value, "", remove: true, paths, isRoot: true);
        return paths;
    }

    /// <summary>The openAPIV3Schema of one version of a CRD object.</summary>
    public static JsonObject SchemaOf(JsonNode crd, string version)
    {
        var versions = crd["spec"]?["versions"] as JsonArray ?? throw new ArgumentException("CRD has no spec.versions", nameof(crd));
        var match = versions.FirstOrDefault(v => JsonKinds.Text(v?["name"]) == version)
            ?? throw new ArgumentException($"CRD has no version {version}", nameof(version));
        return match["schema"]?["openAPIV3Schema"] as JsonObject
            ?? throw new ArgumentException($"version {version} has no openAPIV3Schema", nameof(version));
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    // The API server words errors on a field as "spec.x in body must …" and on the whole object as "body must …".
    private static string Subject(string path) => path.Length == 0 ? "body" : path + " in body";

    private static bool Flag(JsonObject schema, string name) =>
        schema[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static bool IsIntOrString(JsonObject schema) =>
        Flag(schema, "x-kubernetes-int-or-string") || JsonKinds.Text(schema["format"]) == "int-or-string";

    private static void Check(JsonObject? schema, JsonNode? value, string path, List<SchemaViolation> violations)
    {
        if (schema is null)
        {
            return;
        }

        var kind = JsonKinds.Of(value);
        var type = JsonKinds.Text(schema["type"]);
        if (kind == JsonKinds.Null)
        {
            if (!Flag(schema, "nullable") && (type is not null || IsIntOrString(schema)))
            {
                violations.Add(new(path, $"Invalid value: \"null\": {Subject(path)} must be of type {type ?? "integer-or-string"}: \"null\""));
            }

            return;
        }

        if (IsIntOrString(schema))
        {
            if (kind != JsonKinds.Integer && kind != JsonKinds.String)
            {
                violations.Add(new(path, $"Invalid value: \"{kind}\": {Subject(path)} must be of type integer-or-string: \"{kind}\""));
                return;
            }
        }
        else if (type is not null && !(type == kind || (type == JsonKinds.Number && kind == JsonKinds.Integer)))
        {
            violations.Add(new(path, $"Invalid value: \"{kind}\": {Subject(path)} must be of type {type}: \"{kind}\""));
            return;
        }

        CheckEnum(schema, value!, path, violations);
        switch (kind)
        {
            case JsonKinds.Integer or JsonKinds.Number:
                CheckNumber(schema, value!, kind, path, violations);
                break;
            case JsonKinds.String:
                CheckString(schema, value!.GetValue<string>(), path, violations);
                break;
            case JsonKinds.Array:
                CheckArray(schema, (JsonArray)value!, path, violations);
                break;
            case JsonKinds.Object:
                CheckObject(schema, (JsonObject)value!, path, violations);
                break;
        }

        CheckCombinators(schema, value, path, violations);
    }

    private static void CheckEnum(JsonObject schema, JsonNode value, string path, List<SchemaViolation> violations)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            var supported = string.Join(", ", allowed.Select(JsonKinds.Print));
            violations.Add(new(path, $"Unsupported value: {JsonKinds.Print(value)}: supported values: {supported}"));
        }
    }

    private static void CheckNumber(JsonObject schema, JsonNode value, string kind, string path, List<SchemaViolation> violations)
    {
        var shown = value.ToJsonString();
        var format = JsonKinds.Text(schema["format"]);
        if (kind == JsonKinds.Integer && format is "int32" &&
            !int.TryParse(shown, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} must be of type int32: \"{shown}\""));
        }

        if (schema["minimum"] is JsonValue minimum && minimum.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var exclusive = Flag(schema, "exclusiveMinimum");
            var c = JsonKinds.Compare(value, minimum);
            if (exclusive ? c <= 0 : c < 0)
            {
                var relation = exclusive ? "greater than" : "greater than or equal to";
                violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} should be {relation} {minimum.ToJsonString()}"));
            }
        }

        if (schema["maximum"] is JsonValue maximum && maximum.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var exclusive = Flag(schema, "exclusiveMaximum");
            var c = JsonKinds.Compare(value, maximum);
            if (exclusive ? c >= 0 : c > 0)
            {
                var relation = exclusive ? "less than" : "less than or equal to";
                violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} should be {relation} {maximum.ToJsonString()}"));
            }
        }

        if (schema["multipleOf"] is JsonValue factor && factor.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var remainder = Math.IEEERemainder(JsonKinds.AsDouble(value), JsonKinds.AsDouble(factor));
            if (Math.Abs(remainder) > 1e-9)
            {
                violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} should be a multiple of {factor.ToJsonString()}"));
            }
        }
    }

    private static void CheckString(JsonObject schema, string text, string path, List<SchemaViolation> violations)
    {
        var shown = JsonKinds.Print(JsonValue.Create(text));
        var length = text.EnumerateRunes().Count();
        if (JsonKinds.Long(schema["maxLength"]) is { } maxLength && length > maxLength)
        {
            violations.Add(new(path, $"Too long: may not be longer than {maxLength}"));
        }

        if (JsonKinds.Long(schema["minLength"]) is { } minLength && length < minLength)
        {
            violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} should be at least {minLength} chars long"));
        }

        if (JsonKinds.Text(schema["pattern"]) is { } pattern && !Re2Pattern.IsMatch(pattern, text))
        {
            violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} should match '{pattern}'"));
        }

        var format = JsonKinds.Text(schema["format"]);
        if (format is not null && !StringFormats.IsValid(format, text))
        {
            violations.Add(new(path, $"Invalid value: {shown}: {Subject(path)} must be of type {format}: {shown}"));
        }
    }

    private static void CheckArray(JsonObject schema, JsonArray list, string path, List<SchemaViolation> violations)
    {
        if (JsonKinds.Long(schema["maxItems"]) is { } maxItems && list.Count > maxItems)
        {
            violations.Add(new(path, $"Too many: {list.Count}: must have at most {maxItems} items"));
        }

        if (JsonKinds.Long(schema["minItems"]) is { } minItems && list.Count < minItems)
        {
            violations.Add(new(path, $"Invalid value: {list.Count}: {Subject(path)} should have at least {minItems} items"));
        }

        var listType = JsonKinds.Text(schema["x-kubernetes-list-type"]);
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => JsonKinds.Text(k) ?? "").ToArray() ?? [];
        var seen = new List<JsonNode?>();
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            JsonNode? identity = listType switch
            {
                "set" => item,
                "map" when item is JsonObject entry => new JsonObject(keys.Select(k => KeyValuePair.Create(k, entry[k]?.DeepClone()))),
                _ => null,
            };
            if (identity is not null || Flag(schema, "uniqueItems"))
            {
                identity ??= item;
                if (seen.Any(s => JsonNode.DeepEquals(s, identity)))
                {
                    violations.Add(new($"{path}[{i}]", $"Duplicate value: {JsonKinds.Print(identity)}"));
                }

                seen.Add(identity);
            }

            Check(schema["items"] as JsonObject, item, $"{path}[{i}]", violations);
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject map, string path, List<SchemaViolation> violations)
    {
        if (JsonKinds.Long(schema["maxProperties"]) is { } maxProperties && map.Count > maxProperties)
        {
            violations.Add(new(path, $"Too many: {map.Count}: must have at most {maxProperties} items"));
        }

        if (JsonKinds.Long(schema["minProperties"]) is { } minProperties && map.Count < minProperties)
        {
            violations.Add(new(path, $"Invalid value: {map.Count}: {Subject(path)} should have at least {minProperties} properties"));
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(JsonKinds.Text).OfType<string>())
            {
                if (!map.ContainsKey(name))
                {
                    violations.Add(new(Child(path, name), "Required value"));
                }
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, child) in map)
        {
            if (properties?[name] is JsonObject propertySchema)
            {
                Check(propertySchema, child, Child(path, name), violations);
            }
            else if (additional is not null)
            {
                Check(additional, child, $"{path}[{name}]", violations);
            }
        }
    }

    private static void CheckCombinators(JsonObject schema, JsonNode? value, string path, List<SchemaViolation> violations)
    {
        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf)
            {
                Check(part as JsonObject, value, path, violations);
            }
        }

        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(part => Validate(part!, value).Count == 0))
        {
            violations.Add(new(path, $"Invalid value: {JsonKinds.Print(value)}: {Subject(path)} must validate at least one schema (anyOf)"));
        }

        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count(part => Validate(part!, value).Count == 0) != 1)
        {
            violations.Add(new(path, $"Invalid value: {JsonKinds.Print(value)}: {Subject(path)} must validate one and only one schema (oneOf)"));
        }

        if (schema["not"] is JsonObject not && Validate(not, value).Count == 0)
        {
            violations.Add(new(path, $"Invalid value: {JsonKinds.Print(value)}: {Subject(path)} must not validate the schema (not)"));
        }
    }

    private static void Default(JsonObject? schema, JsonNode? value)
    {
        if (schema is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject map:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var name in map.Select(p => p.Key).ToList())
                {
                    var childSchema = properties?[name] as JsonObject ?? additional;
                    if (map[name] is null && childSchema is not null && !Flag(childSchema, "nullable") && !childSchema.ContainsKey("default"))
                    {
                        map.Remove(name);
                    }
                }

                if (properties is not null)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        if (propertySchema?["default"] is { } defaultValue
                            && (!map.ContainsKey(name) || (map[name] is null && !Flag(propertySchema.AsObject(), "nullable"))))
                        {
                            map[name] = defaultValue.DeepClone();
                        }
                    }
                }

                foreach (var (name, child) in map.ToList())
                {
                    Default(properties?[name] as JsonObject ?? additional, child);
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    Default(schema["items"] as JsonObject, item);
                }

                break;
        }
    }

    private static void FindUnknown(JsonObject? schema, JsonNode? value, string path, bool remove, List<string> paths, bool isRoot)
    {
        if (schema is null || Flag(schema, "x-kubernetes-preserve-unknown-fields") && schema["properties"] is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject map:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                var preserve = Flag(schema, "x-kubernetes-preserve-unknown-fields");
                var embedded = isRoot || Flag(schema, "x-kubernetes-embedded-resource");
                foreach (var (name, child) in map.ToList())
                {
                    if (embedded && name is "apiVersion" or "kind" or "metadata")
                    {
                        continue; // the server validates and prunes object metadata itself
                    }

                    if (properties?[name] is JsonObject propertySchema)
                    {
                        FindUnknown(propertySchema, child, Child(path, name), remove, paths, isRoot: false);
                    }
                    else if (additional is JsonObject valueSchema)
                    {
                        FindUnknown(valueSchema, child, $"{path}[{name}]", remove, paths, isRoot: false);
                    }
                    else if (!preserve && !(additional is JsonValue allowAny && allowAny.GetValueKind() == System.Text.Json.JsonValueKind.True))
                    {
                        paths.Add(Child(path, name));
                        if (remove)
                        {
                            map.Remove(name);
                        }
                    }
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    FindUnknown(schema["items"] as JsonObject, list[i], $"{path}[{i}]", remove, paths, isRoot: false);
                }

                break;
        }
    }
}
