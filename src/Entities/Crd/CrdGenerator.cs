using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;
using PgReplica.Kube.Client;

namespace PgReplica.Entities.Crd;

/// <summary>
/// Builds the CustomResourceDefinition of an entity class from its attributes, deterministically
/// (keys sorted, columns in declared order), so config/crds can be regenerated and compared.
/// </summary>
public static class CrdGenerator
{
    /// <summary>The first line of every generated file.</summary>
    public const string Header = "# Generated from src/Entities by CrdGenerator (`pgreplica crd`). Do not edit.\n";

    /// <summary>The CRD as YAML, with a header comment, as committed under config/crds.</summary>
    public static string GenerateYaml(Type entityType) => Header + YamlEmitter.Emit(GenerateJson(entityType));

    /// <summary>The CRD as a JSON object, e.g. for a server to install.</summary>
    public static JsonObject GenerateJson(Type entityType)
    {
        var entity = entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{entityType} has no [KubernetesEntity]", nameof(entityType));
        if (string.IsNullOrEmpty(entity.Group) || string.IsNullOrEmpty(entity.PluralName) || string.IsNullOrEmpty(entity.Kind))
        {
            throw new ArgumentException($"{entityType}: a custom resource needs Group, Kind and PluralName", nameof(entityType));
        }

        var builder = new EntitySchemaBuilder();
        var schema = builder.ForEntity(entityType);

        var names = new JsonObject
        {
            ["kind"] = entity.Kind,
            ["listKind"] = entity.Kind + "List",
            ["plural"] = entity.PluralName,
            ["singular"] = entity.Kind.ToLowerInvariant(),
        };
        if (entityType.GetCustomAttribute<ShortNamesAttribute>() is { } shortNames)
        {
            names["shortNames"] = new JsonArray([.. shortNames.Names.Select(n => (JsonNode)n)]);
        }

        var version = new JsonObject
        {
            ["name"] = entity.ApiVersion,
            ["served"] = true,
            ["storage"] = true,
            ["schema"] = new JsonObject { ["openAPIV3Schema"] = schema },
        };
        var subresources = Subresources(entityType);
        if (subresources.Count > 0)
        {
            version["subresources"] = subresources;
        }

        var columns = PrinterColumns(entityType, builder.Columns);
        if (columns.Count > 0)
        {
            version["additionalPrinterColumns"] = columns;
        }

        var crd = new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = entity.PluralName + "." + entity.Group },
            ["spec"] = new JsonObject
            {
                ["group"] = entity.Group,
                ["names"] = names,
                ["scope"] = EntityInfo.Of(entityType).ClusterScoped ? "Cluster" : "Namespaced",
                ["versions"] = new JsonArray(version),
            },
        };
        return (JsonObject)SortKeys(crd)!;
    }

    private static JsonObject Subresources(Type entityType)
    {
        var subresources = new JsonObject();
        if (entityType.GetCustomAttribute<StatusSubresourceAttribute>() is not null)
        {
            subresources["status"] = new JsonObject();
        }

        if (entityType.GetCustomAttribute<ScaleSubresourceAttribute>() is { } scale)
        {
            subresources["scale"] = new JsonObject
            {
                ["specReplicasPath"] = scale.SpecReplicasPath,
                ["statusReplicasPath"] = scale.StatusReplicasPath,
                ["labelSelectorPath"] = scale.LabelSelectorPath,
            };
        }

        return subresources;
    }

    private static JsonArray PrinterColumns(Type entityType, IReadOnlyList<FoundPrinterColumn> onProperties)
    {
        var all = onProperties
            .Select(c => (c.Column, Path: c.JsonPath, Type: c.Column.Type ?? ColumnType(c.PropertyType),
                Description: c.Column.Description ?? c.Description))
            .Concat(entityType.GetCustomAttributes<PrinterColumnAttribute>().Select(c => (Column: c,
                Path: c.JsonPath ?? throw new InvalidOperationException($"class-level column {c.Name} needs a JsonPath"),
                Type: c.Type ?? "string", c.Description)))
            .OrderBy(c => c.Column.Order)
            .ThenBy(c => c.Column.Name, StringComparer.Ordinal);

        var columns = new JsonArray();
        foreach (var (column, path, type, description) in all)
        {
            var json = new JsonObject { ["name"] = column.Name, ["type"] = type, ["jsonPath"] = path };
            if (description is not null)
            {
                json["description"] = description;
            }

            if (column.Priority != 0)
            {
                json["priority"] = column.Priority;
            }

            columns.Add(json);
        }

        return columns;
    }

    private static string ColumnType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) || type == typeof(short) ? "integer"
            : type == typeof(double) || type == typeof(float) ? "number"
            : type == typeof(bool) ? "boolean"
            : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? "date"
            : "string";
    }

    /// <summary>A deep copy with every object's keys in ordinal order (as kubectl and controller-gen print them).</summary>
    internal static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(SortKeys)]),
        null => null,
        _ => node.DeepClone(),
    };
}
