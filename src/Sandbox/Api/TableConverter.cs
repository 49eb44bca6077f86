using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>Turns objects into meta.k8s.io/v1 Tables: built-in columns, or a CRD's additionalPrinterColumns.</summary>
internal static class TableConverter
{
    /// <summary>The columns of a resource's table.</summary>
    public static IReadOnlyList<TableColumn> Columns(ApiResource r)
    {
        if (BuiltInColumns.For(r) is { } builtIn)
        {
            return builtIn;
        }

        var printer = r.PrinterColumns ?? [];
        if (printer.Count == 0)
        {
            return [BuiltInColumns.NameColumn, BuiltInColumns.AgeColumn];
        }

        return [BuiltInColumns.NameColumn, .. printer.Select(Custom)];
    }

    /// <summary>A Table of the objects; columnDefinitions are left out when <paramref name="withColumns"/> is false (later watch events).</summary>
    public static JsonObject Table(ApiResource r, IEnumerable<JsonObject> objects, string resourceVersion, bool withColumns = true)
    {
        var columns = Columns(r);
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = withColumns ? new JsonArray(columns.Select(c => (JsonNode)c.Definition()).ToArray()) : null,
        };
        table["rows"] = new JsonArray(objects.Select(o => (JsonNode)new JsonObject
        {
            ["cells"] = new JsonArray(columns.Select(c => c.Cell(o)?.DeepClone()).ToArray()),
            ["object"] = o.DeepClone(),
        }).ToArray());
        return table;
    }

    private static TableColumn Custom(PrinterColumn c) => new(c.Name, c.Type, c.Priority, o =>
    {
        var value = SimpleJsonPath.Evaluate(o, c.JsonPath);
        if (value is null)
        {
            return null;
        }

        if (c.Type == "date")
        {
            return BuiltInColumns.Age(value.ToString());
        }

        return value.DeepClone();
    }, c.Format ?? "", c.Description ?? "");
}
