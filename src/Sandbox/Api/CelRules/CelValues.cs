using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>
/// Turns JSON into the values the Cel package evaluates, typed by the schema as kube-apiserver types them:
/// objects and maps as <c>Dictionary&lt;string, object?&gt;</c> (objects keyed by CEL names), lists as <c>List&lt;object?&gt;</c>,
/// integers as long, numbers as double (also when written without a fraction), date-time strings as timestamps.
/// </summary>
internal static class CelValues
{
    /// <summary>The CEL value of <paramref name="value"/> under <paramref name="schema"/> (null schema: typed by the JSON alone).</summary>
    public static object? From(JsonNode? value, JsonObject? schema, bool resourceRoot = false) => value switch
    {
        null => null,
        JsonObject obj => Object(obj, schema, resourceRoot),
        JsonArray list => list.Select(item => From(item, CelSchema.Items(schema))).ToList(),
        JsonValue scalar => Scalar(scalar, schema),
        _ => null,
    };

    private static Dictionary<string, object?> Object(JsonObject obj, JsonObject? schema, bool resourceRoot)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (CelSchema.IsMap(schema, out var values) || (CelSchema.IsOpen(schema) && schema?["properties"] is null))
        {
            foreach (var (key, item) in obj)
            {
                result[key] = From(item, values);
            }

            return result;
        }

        foreach (var (name, (property, propertySchema)) in CelSchema.Fields(schema!, resourceRoot))
        {
            if (obj[property] is { } item)
            {
                result[name] = From(item, propertySchema);
            }
        }

        return result;
    }

    private static object? Scalar(JsonValue value, JsonObject? schema)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                return schema?["format"]?.GetValue<string>() == "date-time"
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        ? Timestamp.FromDateTimeOffset(at)
                        : text;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var number = value.ToJsonString();
                if (CelSchema.Type(schema) != "number" && long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer;
                }

                return double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
