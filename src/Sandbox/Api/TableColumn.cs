using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>One Table column: its definition and how to compute its cell from an object.</summary>
internal sealed record TableColumn(string Name, string Type, int Priority, Func<JsonObject, JsonNode?> Cell, string Format = "", string Description = "")
{
    /// <summary>The meta/v1 TableColumnDefinition.</summary>
    public JsonObject Definition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
