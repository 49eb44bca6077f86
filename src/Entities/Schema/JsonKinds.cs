using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PgReplica.Entities.Schema;

/// <summary>The OpenAPI type of a JSON value, and the printing of values in error messages.</summary>
internal static partial class JsonKinds
{
    public const string Null = "null";
    public const string Object = "object";
    public const string Array = "array";
    public const string String = "string";
    public const string Boolean = "boolean";
    public const string Integer = "integer";
    public const string Number = "number";

    /// <summary>
    /// The value's kind. A number is an integer only when written without fraction or exponent and within
    /// int64, as the API server's JSON decoder decides (and as C# integer fields can read it).
    /// </summary>
    public static string Of(JsonNode? value) => value switch
    {
        null => Null,
        JsonObject => Object,
        JsonArray => Array,
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => String,
            JsonValueKind.True or JsonValueKind.False => Boolean,
            JsonValueKind.Number => IntegerText().IsMatch(value.ToJsonString()) && long.TryParse(value.ToJsonString(),
                NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? Integer : Number,
            _ => Null,
        },
    };

    /// <summary>A schema keyword's string value, or null when absent or not a string.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    /// <summary>A schema keyword's integer value (however the node was built), or null when absent or not an integer.</summary>
    public static long? Long(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() == JsonValueKind.Number
        && long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The number as a decimal (or the nearest double when out of decimal's range).</summary>
    public static double AsDouble(JsonNode value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Compares a JSON number with a schema bound exactly when both fit in decimal.</summary>
    public static int Compare(JsonNode value, JsonNode bound)
    {
        var a = value.ToJsonString();
        var b = bound.ToJsonString();
        return decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : AsDouble(value).CompareTo(AsDouble(bound));
    }

    /// <summary>The value as the API server prints it after "Invalid value:": strings quoted, the rest as JSON.</summary>
    public static string Print(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject or JsonArray => value.ToJsonString(),
        _ => value.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
    };

    [GeneratedRegex("^-?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerText();
}
