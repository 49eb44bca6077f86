using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace PgReplica.Entities.Crd;

/// <summary>A printer column found on a property, with the JSON path the walk derived for it.</summary>
internal sealed record FoundPrinterColumn(PrinterColumnAttribute Column, string JsonPath, Type PropertyType, string? Description);

/// <summary>
/// Turns C# types and their schema attributes into an OpenAPI v3 structural schema (the KubeOps "transpiler"
/// idea). Collects printer columns on the way because their JSON paths fall out of the walk.
/// </summary>
internal sealed class EntitySchemaBuilder
{
    private readonly List<FoundPrinterColumn> columns = [];

    /// <summary>Printer columns met on properties during <see cref="ForEntity"/>.</summary>
    public IReadOnlyList<FoundPrinterColumn> Columns => columns;

    /// <summary>The openAPIV3Schema of an entity class (root: apiVersion, kind, metadata, spec, status).</summary>
    public JsonObject ForEntity(Type entityType)
    {
        var schema = ForClass(entityType, "");
        var properties = (JsonObject)schema["properties"]!;
        properties["apiVersion"] = WellKnownSchemas.ApiVersion();
        properties["kind"] = WellKnownSchemas.Kind();
        properties["metadata"] = WellKnownSchemas.ObjectMeta();
        return schema;
    }

    private JsonObject ForType(Type type, string jsonPath)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int) || type == typeof(short))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }

        if (type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(V1Condition))
        {
            return WellKnownSchemas.Condition();
        }

        if (type == typeof(V1ObjectMeta))
        {
            return WellKnownSchemas.ObjectMeta();
        }

        if (MapValueType(type) is { } valueType)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(valueType, jsonPath + "[*]") };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForType(itemType, jsonPath + "[*]") };
        }

        if (type.IsClass)
        {
            return ForClass(type, jsonPath);
        }

        throw new NotSupportedException($"no schema mapping for {type} at {jsonPath}");
    }

    private JsonObject ForClass(Type type, string jsonPath)
    {
        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var property in SerializedProperties(type).OrderBy(p => JsonName(p), StringComparer.Ordinal))
        {
            var name = JsonName(property);
            var path = jsonPath + "." + name;
            if (path == ".apiVersion" || path == ".kind" || path == ".metadata")
            {
                continue; // the root's standard fields come from WellKnownSchemas
            }

            properties[name] = ForProperty(property, path);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }

        if (type.GetCustomAttribute<DefaultEmptyObjectAttribute>() is not null)
        {
            schema["default"] = new JsonObject();
        }

        AddValidations(schema, type.GetCustomAttributes<ValidationAttribute>());
        return schema;
    }

    private JsonObject ForProperty(PropertyInfo property, string jsonPath)
    {
        var schema = ForType(property.PropertyType, jsonPath);
        var values = (schema["items"] ?? schema["additionalProperties"]) as JsonObject;
        JsonObject Target(SchemaTarget target) => target == SchemaTarget.Self
            ? schema
            : values ?? throw new InvalidOperationException($"{jsonPath} has no items or values to constrain");

        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }

        foreach (var attribute in property.GetCustomAttributes())
        {
            switch (attribute)
            {
                case MinimumAttribute a: schema["minimum"] = a.Value; break;
                case MaximumAttribute a: schema["maximum"] = a.Value; break;
                case PatternAttribute a: Target(a.Target)["pattern"] = a.Regex; break;
                case MinLengthAttribute a: Target(a.Target)["minLength"] = a.Value; break;
                case MaxLengthAttribute a: Target(a.Target)["maxLength"] = a.Value; break;
                case MaxItemsAttribute a: schema["maxItems"] = a.Value; break;
                case MaxPropertiesAttribute a: schema["maxProperties"] = a.Value; break;
                case DefaultAttribute a: schema["default"] = JsonValue.Create(a.Value); break;
                case DefaultEmptyObjectAttribute: schema["default"] = new JsonObject(); break;
                case EnumValuesAttribute a: schema["enum"] = new JsonArray([.. a.Values.Select(v => (JsonNode)v)]); break;
                case FormatAttribute a: schema["format"] = a.Format; break;
                case IntOrStringAttribute a: MakeIntOrString(Target(a.Target)); break;
                case ListMapAttribute a:
                    schema["x-kubernetes-list-type"] = "map";
                    schema["x-kubernetes-list-map-keys"] = new JsonArray([.. a.Keys.Select(k => (JsonNode)k)]);
                    break;
                case PrinterColumnAttribute a:
                    columns.Add(new FoundPrinterColumn(a, jsonPath, property.PropertyType, schema["description"]?.GetValue<string>()));
                    break;
            }
        }

        AddValidations(schema, property.GetCustomAttributes<ValidationAttribute>());
        return schema;
    }

    private static void MakeIntOrString(JsonObject schema)
    {
        schema.Remove("type");
        schema.Remove("format");
        schema["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        schema["x-kubernetes-int-or-string"] = true;
    }

    private static void AddValidations(JsonObject schema, IEnumerable<ValidationAttribute> validations)
    {
        var rules = schema["x-kubernetes-validations"] as JsonArray ?? [];
        foreach (var validation in validations.OrderBy(v => v.Rule, StringComparer.Ordinal))
        {
            var rule = new JsonObject { ["rule"] = validation.Rule, ["message"] = validation.Message };
            if (validation.FieldPath is not null)
            {
                rule["fieldPath"] = validation.FieldPath;
            }

            rules.Add(rule);
        }

        if (rules.Count > 0)
        {
            schema["x-kubernetes-validations"] = rules;
        }
    }

    private static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is null)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always });

    /// <summary>The name a property has on the wire: its [JsonPropertyName], else camelCase.</summary>
    internal static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    private static Type? MapValueType(Type type)
    {
        var map = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (map is null)
        {
            return null;
        }

        var arguments = map.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new NotSupportedException($"map keys must be strings: {type}");
    }

    private static Type? ListItemType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return list?.GetGenericArguments()[0];
    }
}
