using System.Globalization;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Store;

/// <summary>Reads integers from JSON nodes whatever CLR type backs them (int, long, or a parsed element).</summary>
public static class JsonNumber
{
    /// <summary>The node's integer value, or null when it is not an integer.</summary>
    public static long? Long(JsonNode? node) =>
        node is JsonValue && long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
